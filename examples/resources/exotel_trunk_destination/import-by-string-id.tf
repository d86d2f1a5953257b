# "<trunk_sid>/<destination_id>".
import {
  to = exotel_trunk_destination.primary
  id = "trmum1a2b3c4d5e6f/41520"
}
