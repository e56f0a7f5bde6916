/* The addon's media functions, in media.c. */
#ifndef OMNIRTC_NODE_MEDIA_H
#define OMNIRTC_NODE_MEDIA_H

#include <node_api.h>

#include <omnirtc.h>

/* Adds the media functions to the addon's exports. */
void media_register(napi_env env, napi_value exports);

/* On the library's thread, for every event: applies a peer's track receive
 * options (peerSetTrackReceive) to each new remote track. */
void media_on_event(const omnirtc_event_t *e);

#endif
