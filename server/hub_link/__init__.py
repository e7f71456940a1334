"""The centre's link to the network hub: what leaves the centre (`shipped`) and the
shipper that sends it (`shipper`). The centre never waits for the hub."""
