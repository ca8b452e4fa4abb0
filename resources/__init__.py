"""Data files shipped with CallMaster Desktop: the sample show, styles, icons."""
