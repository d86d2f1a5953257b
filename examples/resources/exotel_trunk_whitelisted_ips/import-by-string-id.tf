# The trunk SID: state then holds every whitelisted IP of the trunk.
import {
  to = exotel_trunk_whitelisted_ips.acl
  id = "trmum1a2b3c4d5e6f"
}
