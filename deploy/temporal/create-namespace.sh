#!/bin/sh
# The namespace and the custom search attributes operators filter deliveries by in Temporal UI
# (the same list as lib/temporal/contract.ts; the dev server gets them from npm start).
set -eu
ns="${NAMESPACE:-default}"
temporal operator namespace describe -n "$ns" >/dev/null 2>&1 \
  || temporal operator namespace create -n "$ns" --retention 72h
for attr in WthDealerId WthEventId WthEventType WthEndpointId WthDeliveryStatus; do
  temporal operator search-attribute create -n "$ns" --name "$attr" --type Keyword 2>/dev/null || true
done
temporal operator search-attribute create -n "$ns" --name WthLivemode --type Bool 2>/dev/null || true
temporal operator search-attribute list -n "$ns"
