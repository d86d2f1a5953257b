# By trunk SID: state holds every destination of the trunk.
terraform import exotel_trunk_destinations.sbc <trunk_sid>
