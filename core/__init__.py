"""The ground floor: settings, the checklist, the agency registry and the shared vocabulary.

Every other layer may import it; it imports none of them."""
