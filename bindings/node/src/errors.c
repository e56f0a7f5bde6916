/* The library's failures as JavaScript errors: code, message and .status. */
#include "addon.h"

napi_value throw_status(napi_env env, omnirtc_status_t status) {
	napi_value message, code, error, number;
	napi_create_string_utf8(env, omnirtc_last_error(), NAPI_AUTO_LENGTH, &message);
	napi_create_string_utf8(env, omnirtc_status_string(status), NAPI_AUTO_LENGTH, &code);
	napi_create_error(env, code, message, &error);
	napi_create_int32(env, status, &number);
	napi_set_named_property(env, error, "status", number);
	napi_throw(env, error);
	return NULL;
}

int throw_argument(napi_env env, const char *message) {
	napi_throw_type_error(env, omnirtc_status_string(OMNIRTC_ERR_INVALID_ARGUMENT), message);
	return 0;
}

napi_value throw_internal(napi_env env, const char *message) {
	napi_throw_error(env, omnirtc_status_string(OMNIRTC_ERR_INTERNAL), message);
	return NULL;
}
