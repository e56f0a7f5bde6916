/* Certificates (include/omnirtc.h: omnirtc_certificate_generate, _info). */
#include "addon.h"

/* certificateGenerate(keygenJson | null) -> PEM text; certificateInfo(pem) -> {"expires", "fingerprints"} JSON */
STRING_TO_STRING(generate, omnirtc_certificate_generate)
STRING_TO_STRING(certificate_info, omnirtc_certificate_info)

void certificate_register(napi_env env, napi_value exports) {
	static const function_entry functions[] = {
	    {"certificateGenerate", generate},
	    {"certificateInfo", certificate_info},
	};
	EXPORT_FUNCTIONS(env, exports, functions);
}
