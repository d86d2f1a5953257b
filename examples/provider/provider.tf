terraform {
  required_providers {
    exotel = {
      source = "exotel/exotel"
    }
  }
}

# Credentials usually come from the environment:
#   EXOTEL_API_KEY, EXOTEL_API_TOKEN, EXOTEL_ACCOUNT_SID (and EXOTEL_REGION).
provider "exotel" {
  region = "mumbai"

  # Everything below is optional.
  max_retries             = 4
  max_requests_per_minute = 200 # in any 60 s, shared by every run of this account on this host
  request_timeout         = "30s"
  shared_rate_limit       = true
}
