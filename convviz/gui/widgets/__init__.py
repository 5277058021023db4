"""Small reusable widgets and the look shared by every tab: theme, image grids, number editors,
message bar, throttle, picture sources. Imports no tab.
"""
