"""The picture of low-level crime: police.uk imports, trends, hotspots, inequality, public stats."""
