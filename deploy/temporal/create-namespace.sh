#!/bin/sh
# The namespace and the custom search attributes operators filter deliveries by in Temporal UI
# (the same list as lib/temporal/contract.ts; the dev server gets them from npm start).
set -eu
ns="${NAMESPACE:-default}"
temporal operator namespace describe -n "$ns" >/dev/null 2>&1 \
  || temporal operator namespace create -n "$ns" --retention 72h
# A new namespace reaches the frontend's cache within ~10 s; until then every call on it fails
# (and the creates below would fail silently).
tries=0
until temporal operator search-attribute list -n "$ns" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then echo "namespace $ns not usable after 60 s" >&2; exit 1; fi
  sleep 1
done
# Creating one that exists fails, so failures are ignored here and the result checked below.
for attr in WthDealerId WthEventId WthEventType WthEndpointId WthDeliveryStatus; do
  temporal operator search-attribute create -n "$ns" --name "$attr" --type Keyword 2>/dev/null || true
done
temporal operator search-attribute create -n "$ns" --name WthLivemode --type Bool 2>/dev/null || true
list="$(temporal operator search-attribute list -n "$ns")"
for attr in WthDealerId WthEventId WthEventType WthEndpointId WthDeliveryStatus WthLivemode; do
  echo "$list" | grep -qw "$attr" || { echo "search attribute $attr is missing" >&2; exit 1; }
done
echo "$list"
