/* Certificates (include/omnirtc.h: omnirtc_certificate_generate, _info). */
#include "addon.h"

/* certificateGenerate(keygenJson | null) -> PEM text */
static napi_value generate(napi_env env, napi_callback_info info) {
	napi_value argv[1];
	args(env, info, 1, argv);
	char *keygen = to_string(env, argv[0]), *pem = NULL;
	omnirtc_status_t s = omnirtc_certificate_generate(keygen, &pem);
	free(keygen);
	CALL(s);
	return take_string(env, pem);
}

/* certificateInfo(pem) -> {"expires", "fingerprints"} JSON text */
static napi_value certificate_info(napi_env env, napi_callback_info info) {
	napi_value argv[1];
	args(env, info, 1, argv);
	char *pem = to_string(env, argv[0]), *json = NULL;
	omnirtc_status_t s = omnirtc_certificate_info(pem, &json);
	free(pem);
	CALL(s);
	return take_string(env, json);
}

void certificate_register(napi_env env, napi_value exports) {
	static const function_entry functions[] = {
	    {"certificateGenerate", generate},
	    {"certificateInfo", certificate_info},
	};
	EXPORT_FUNCTIONS(env, exports, functions);
}
