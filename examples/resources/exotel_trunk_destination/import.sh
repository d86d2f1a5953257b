terraform import exotel_trunk_destination.primary <trunk_sid>/<destination_id>
