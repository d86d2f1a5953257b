# By trunk SID: state holds every number mapped to the trunk.
terraform import exotel_trunk_phone_numbers.dids <trunk_sid>
