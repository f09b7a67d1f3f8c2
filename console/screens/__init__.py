"""The console's screens: the tabbed main view and what it opens (detail, forms, dialogs)."""
