"""The Qt user interface: windows, dialogs, models, charts and background tasks."""
