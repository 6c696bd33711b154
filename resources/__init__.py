"""Icons and other files the app loads at run time (installed as ``desktop.resources``)."""
