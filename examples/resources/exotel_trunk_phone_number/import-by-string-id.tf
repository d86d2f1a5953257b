# "<trunk_sid>/<mapping_id>", or "<trunk_sid>/<number in E.164>".
import {
  to = exotel_trunk_phone_number.caller_id
  id = "trmum1a2b3c4d5e6f/+919876543210"
}
