/* The media file reader and writer (include/omnirtc.h, "Media files"). */
#include "addon.h"

/* mediaReaderOpen(path, optionsJson) -> [handle, infoJson] */
static napi_value reader_open(napi_env env, napi_callback_info info) {
	napi_value argv[2], result;
	args(env, info, 2, argv);
	char *path = to_string(env, argv[0]), *options = to_string(env, argv[1]), *json = NULL;
	omnirtc_media_reader_t reader = 0;
	omnirtc_status_t s = omnirtc_media_reader_open(path, options, &reader, &json);
	free(path);
	free(options);
	CALL(s);
	napi_create_array_with_length(env, 2, &result);
	napi_set_element(env, result, 0, from_handle(env, reader));
	napi_set_element(env, result, 1, take_string(env, json));
	return result;
}

static void free_frame(napi_env env, void *data, void *hint) {
	(void)env;
	(void)hint;
	omnirtc_free(data);
}

/* mediaReaderNext(reader) -> {data: ArrayBuffer, duration: microseconds, keyframe} | null */
static napi_value reader_next(napi_env env, napi_callback_info info) {
	napi_value argv[1], result, v;
	args(env, info, 1, argv);
	uint8_t *data = NULL;
	size_t size = 0;
	uint64_t duration = 0;
	int32_t keyframe = 0;
	CALL(omnirtc_media_reader_next(to_handle(env, argv[0]), &data, &size, &duration, &keyframe));
	if (data == NULL) {
		napi_get_null(env, &result);
		return result;
	}
	napi_create_object(env, &result);
	napi_create_external_arraybuffer(env, data, size, free_frame, NULL, &v); /* no copy */
	napi_set_named_property(env, result, "data", v);
	napi_create_double(env, (double)duration, &v);
	napi_set_named_property(env, result, "duration", v);
	napi_get_boolean(env, keyframe != 0, &v);
	napi_set_named_property(env, result, "keyframe", v);
	return result;
}

/* mediaWriterOpen(path, optionsJson) -> handle */
static napi_value writer_open(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	char *path = to_string(env, argv[0]), *options = to_string(env, argv[1]);
	omnirtc_media_writer_t writer = 0;
	omnirtc_status_t s = omnirtc_media_writer_open(path, options, &writer);
	free(path);
	free(options);
	CALL(s);
	return from_handle(env, writer);
}

/* mediaWriterWriteRtp(writer, Uint8Array) */
static napi_value writer_write(napi_env env, napi_callback_info info) {
	napi_value argv[2];
	args(env, info, 2, argv);
	void *data;
	size_t size;
	if (!to_bytes(env, argv[1], &data, &size))
		return NULL;
	CALL(omnirtc_media_writer_write_rtp(to_handle(env, argv[0]), data, size));
	return NULL;
}

HANDLE_CALL(reader_close, omnirtc_media_reader_close)
HANDLE_CALL(writer_close, omnirtc_media_writer_close)

void mediafile_register(napi_env env, napi_value exports) {
	static const function_entry functions[] = {
	    {"mediaReaderOpen", reader_open}, {"mediaReaderNext", reader_next},      {"mediaReaderClose", reader_close},
	    {"mediaWriterOpen", writer_open}, {"mediaWriterWriteRtp", writer_write}, {"mediaWriterClose", writer_close},
	};
	EXPORT_FUNCTIONS(env, exports, functions);
}
