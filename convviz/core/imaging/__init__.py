"""Pictures and filters: safe image decoding, fast single-channel correlation, the inspector's conv
-> activation -> pool chain, image pyramids.
"""
