# By mapping id, or by the number itself (E.164).
terraform import exotel_trunk_phone_number.caller_id <trunk_sid>/<mapping_id>
terraform import exotel_trunk_phone_number.caller_id <trunk_sid>/+919876543210
