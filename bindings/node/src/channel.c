/* The data channel's functions (include/omnirtc.h, "Data channel"). */
#include <string.h>

#include "addon.h"

/* Messages sent by one channelSendBatch without an allocation. */
#define STACK_BATCH 256

/* channelCreate(peer, label, initJson) -> handle */
static napi_value channel_create(napi_env env, napi_callback_info info) {
	napi_value argv[3];
	args(env, info, 3, argv);
	char *label = to_string(env, argv[1]), *init = to_string(env, argv[2]);
	omnirtc_channel_t channel = 0;
	omnirtc_status_t s = omnirtc_channel_create(to_handle(env, argv[0]), label, init, &channel);
	free(label);
	free(init);
	CALL(s);
	return from_handle(env, channel);
}

/* channelSend(channel, string | Uint8Array): a string is sent as text */
static napi_value channel_send(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	uint64_t channel = to_handle(env, argv[0]);
	napi_valuetype t;
	napi_typeof(env, argv[1], &t);
	if (t == napi_string) {
		char *text = to_string(env, argv[1]);
		omnirtc_status_t s = omnirtc_channel_send(channel, text, text != NULL ? strlen(text) : 0, 0);
		free(text);
		CALL(s);
		return NULL;
	}
	void *data = NULL;
	size_t size = 0;
	if (!to_bytes(env, argv[1], &data, &size))
		return NULL;
	CALL(omnirtc_channel_send(channel, data, size, 1));
	return NULL;
}

/* channelSendBatch(channel, Uint8Array bytes, Int32Array sizes, count) -> count:
 * message i is the next sizes[i] bytes, or ~sizes[i] bytes sent as text when
 * sizes[i] < 0. A failure throws with the error of the message that failed and
 * `sent`, the number queued before it. */
static napi_value channel_send_batch(napi_env env, napi_callback_info info) {
	napi_value argv[4];
	args(env, info, 4, argv);
	uint64_t channel = to_handle(env, argv[0]);
	napi_typedarray_type sizes_type;
	size_t length = 0, nsizes = 0, offset;
	void *bytes = NULL, *sizes_data = NULL;
	napi_value buffer;
	uint32_t count = 0;
	napi_get_value_uint32(env, argv[3], &count);
	if (!to_bytes(env, argv[1], &bytes, &length))
		return NULL;
	if (napi_get_typedarray_info(env, argv[2], &sizes_type, &nsizes, &sizes_data, &buffer, &offset) != napi_ok ||
	    sizes_type != napi_int32_array || count > nsizes) {
		throw_argument(env, "a batch's sizes are an Int32Array");
		return NULL;
	}
	const int32_t *sizes = sizes_data;
	omnirtc_message_t stack[STACK_BATCH],
	    *messages = count <= STACK_BATCH ? stack : malloc(sizeof *messages * count);
	if (messages == NULL) {
		return throw_internal(env, "out of memory");
	}
	size_t at = 0;
	for (uint32_t i = 0; i < count; i++) {
		int32_t text = sizes[i] < 0;
		size_t size = (size_t)(text ? ~sizes[i] : sizes[i]);
		if (size > length - at) { /* lib/ never does this; refuse rather than read past the end */
			count = i;
			break;
		}
		messages[i] = (omnirtc_message_t){(const uint8_t *)bytes + at, size, !text};
		at += size;
	}
	size_t sent = 0;
	omnirtc_status_t s = omnirtc_channel_send_batch(channel, messages, count, &sent);
	if (messages != stack)
		free(messages);
	if (s != OMNIRTC_OK) {
		throw_status(env, s);
		napi_value error, n;
		if (napi_get_and_clear_last_exception(env, &error) == napi_ok) {
			napi_create_double(env, (double)sent, &n);
			napi_set_named_property(env, error, "sent", n);
			napi_throw(env, error);
		}
		return NULL;
	}
	napi_value result;
	napi_create_double(env, (double)sent, &result);
	return result;
}

static napi_value channel_set_threshold(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	double threshold = 0;
	napi_get_value_double(env, argv[1], &threshold);
	CALL(omnirtc_channel_set_buffered_amount_low_threshold(to_handle(env, argv[0]), (uint64_t)threshold));
	return NULL;
}

HANDLE_CALL(channel_close, omnirtc_channel_close)
JSON_GETTER(channel_info, omnirtc_channel_get_info)
NUMBER_GETTER(channel_buffered, omnirtc_channel_get_buffered_amount, uint64_t)
NUMBER_GETTER(channel_state, omnirtc_channel_get_ready_state, int32_t)

void channel_register(napi_env env, napi_value exports) {
	static const function_entry functions[] = {
	    {"channelCreate", channel_create},
	    {"channelSend", channel_send},
	    {"channelSendBatch", channel_send_batch},
	    {"channelInfo", channel_info},
	    {"channelReadyState", channel_state},
	    {"channelBufferedAmount", channel_buffered},
	    {"channelSetThreshold", channel_set_threshold},
	    {"channelClose", channel_close},
	};
	EXPORT_FUNCTIONS(env, exports, functions);
}
