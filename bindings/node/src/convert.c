/* Values between JavaScript and the C ABI. */
#include <string.h>

#include "addon.h"

napi_value *args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
	size_t argc = want;
	napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
	for (size_t i = argc; i < want; i++)
		napi_get_undefined(env, &argv[i]);
	return argv;
}

uint64_t to_handle(napi_env env, napi_value v) {
	double d = 0;
	napi_get_value_double(env, v, &d);
	return d > 0 ? (uint64_t)d : 0;
}

char *to_string(napi_env env, napi_value v) {
	napi_valuetype t;
	napi_typeof(env, v, &t);
	if (t != napi_string)
		return NULL;
	size_t n = 0;
	napi_get_value_string_utf8(env, v, NULL, 0, &n);
	char *s = malloc(n + 1);
	if (s != NULL)
		napi_get_value_string_utf8(env, v, s, n + 1, &n);
	return s;
}

int to_bytes(napi_env env, napi_value v, void **data, size_t *size) {
	napi_typedarray_type type;
	napi_value buffer;
	size_t offset;
	if (napi_get_typedarray_info(env, v, &type, size, data, &buffer, &offset) != napi_ok ||
	    type != napi_uint8_array)
		return throw_argument(env, "data must be a Uint8Array");
	return 1;
}

napi_value from_handle(napi_env env, uint64_t h) {
	napi_value v;
	napi_create_double(env, (double)h, &v);
	return v;
}

napi_value from_string(napi_env env, const char *s) {
	napi_value v;
	if (s == NULL)
		napi_get_null(env, &v);
	else
		napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
	return v;
}

napi_value take_string(napi_env env, char *s) {
	napi_value v = from_string(env, s);
	omnirtc_free(s);
	return v;
}

napi_value from_bytes(napi_env env, const void *data, size_t size) {
	napi_value v;
	void *bytes = NULL;
	napi_create_arraybuffer(env, size, &bytes, &v);
	if (size > 0)
		memcpy(bytes, data, size);
	return v;
}

void export_functions(napi_env env, napi_value exports, const function_entry *functions, size_t n) {
	for (size_t i = 0; i < n; i++) {
		napi_value fn;
		napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].fn, NULL, &fn);
		napi_set_named_property(env, exports, functions[i].name, fn);
	}
}
