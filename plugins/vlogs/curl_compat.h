/* curl_compat.h: the one place that knows which libcurl version has what
 * (EL6 ships 7.19.7, EL7 7.29.0, Debian 12 7.88). Feature macros only;
 * code tests VL_HAVE_*, never LIBCURL_VERSION_NUM.
 * Thread use: macros only.
 */
#ifndef VL_CURL_COMPAT_H
#define VL_CURL_COMPAT_H
#include <curl/curl.h>

/* 7.25.0: CURLOPT_TCP_KEEPALIVE */
#if LIBCURL_VERSION_NUM >= 0x071900
#define VL_HAVE_TCP_KEEPALIVE 1
#endif

/* 7.32.0: CURLOPT_XFERINFOFUNCTION (curl_off_t progress); older ones have
 * only CURLOPT_PROGRESSFUNCTION (double), deprecated in newer headers */
#if LIBCURL_VERSION_NUM >= 0x072000
#define VL_HAVE_XFERINFO 1
#endif

#endif
