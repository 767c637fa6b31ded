var flipbookConfig = {pages: 2};
