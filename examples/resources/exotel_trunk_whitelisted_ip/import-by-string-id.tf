# "<trunk_sid>/<entry_id>", or "<trunk_sid>/<IP address>" (the mask is read from Exotel).
import {
  to = exotel_trunk_whitelisted_ip.pbx
  id = "trmum1a2b3c4d5e6f/203.0.113.10"
}
