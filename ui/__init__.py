"""CallMaster Desktop: the Qt user interface (calls into callmaster_desktop)."""
