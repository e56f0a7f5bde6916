/* An audio sender's DTMF (include/omnirtc.h, "DTMF"). */
#include "addon.h"

/* insertDtmf(transceiver, tones, durationMs, interToneGapMs) -> undefined */
static napi_value insert_dtmf(napi_env env, napi_callback_info info) {
	napi_value argv[4];
	args(env, info, 4, argv);
	uint32_t duration = 0, gap = 0;
	napi_get_value_uint32(env, argv[2], &duration);
	napi_get_value_uint32(env, argv[3], &gap);
	char *tones = to_string(env, argv[1]);
	omnirtc_status_t s = omnirtc_transceiver_insert_dtmf(to_handle(env, argv[0]), tones, duration, gap);
	free(tones);
	CALL(s);
	return NULL;
}

/* dtmfState(transceiver) -> {toneBuffer, canInsertDTMF} */
static napi_value dtmf_state(napi_env env, napi_callback_info info) {
	napi_value argv[1], object, can;
	args(env, info, 1, argv);
	char *buffer = NULL;
	int32_t can_insert = 0;
	CALL(omnirtc_transceiver_get_dtmf(to_handle(env, argv[0]), &buffer, &can_insert));
	napi_create_object(env, &object);
	napi_set_named_property(env, object, "toneBuffer", take_string(env, buffer));
	napi_get_boolean(env, can_insert != 0, &can);
	napi_set_named_property(env, object, "canInsertDTMF", can);
	return object;
}

void dtmf_register(napi_env env, napi_value exports) {
	static const function_entry functions[] = {
	    {"insertDtmf", insert_dtmf},
	    {"dtmfState", dtmf_state},
	};
	EXPORT_FUNCTIONS(env, exports, functions);
}
