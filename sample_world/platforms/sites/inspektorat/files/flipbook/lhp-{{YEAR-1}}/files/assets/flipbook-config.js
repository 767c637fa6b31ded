var flipbookConfig = {pages: 3};
