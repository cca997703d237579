/* pd-test-sandbox.h: the sandbox in a thread of the test, and a plain HTTP client */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pd-sandbox.h"

G_BEGIN_DECLS

typedef struct _PdTestSandbox PdTestSandbox;

typedef struct
{
  guint         status;      /* 0 when the request failed at the transport */
  GError       *error;       /* the transport error, or NULL */
  SoupMessageHeaders *headers;
  GBytes       *body;
  JsonNode     *json;        /* the parsed body, or NULL when it is not JSON */
} PdTestResponse;

/* Starts a sandbox on a free loopback port in its own thread and main
 * context, so a test can talk to it with blocking calls. */
PdTestSandbox  *pd_test_sandbox_start          (gboolean        demo,
                                                guint           rate_limit);
void            pd_test_sandbox_stop           (PdTestSandbox  *sb);
const char     *pd_test_sandbox_origin         (PdTestSandbox  *sb);
const char     *pd_test_sandbox_pesogate_url   (PdTestSandbox  *sb);
const char     *pd_test_sandbox_paysgator_url  (PdTestSandbox  *sb);
GStrv           pd_test_sandbox_plan_ids       (PdTestSandbox  *sb);

/* @url is absolute or a path on the sandbox's origin. @headers is a
 * NULL-terminated list of name, value pairs. @content_type may be NULL
 * (then "application/json" when @body is set). Never returns NULL. */
PdTestResponse *pd_test_http                   (PdTestSandbox  *sb,
                                                const char     *method,
                                                const char     *url,
                                                const char     *content_type,
                                                const char     *body,
                                                const char * const *headers);
/* The same with PesoGate's sandbox key and secret, on a path under its API
 * ("/payments/initialize"). */
PdTestResponse *pd_test_pesogate               (PdTestSandbox  *sb,
                                                const char     *method,
                                                const char     *api_path,
                                                const char     *json_body);
/* The same with the given PaysGator key, on a path under its API. */
PdTestResponse *pd_test_paysgator              (PdTestSandbox  *sb,
                                                const char     *key,
                                                const char     *method,
                                                const char     *api_path,
                                                const char     *json_body);
void            pd_test_response_free          (PdTestResponse *resp);
/* The body as a JSON object; fails the test when it is not one. */
JsonObject     *pd_test_response_object        (PdTestResponse *resp);
const char     *pd_test_response_text          (PdTestResponse *resp);

/* Control API: the next @count requests whose path starts with @path_prefix
 * fail as @kind ("http_500", "http_502", "http_503", "malformed", "truncated",
 * "huge", "delay", "reset", "rate_limit"). @param is delay_ms for "delay" and
 * retry_after (s) for "rate_limit". With @after_processing the gateway handles
 * the request first (its state changes) and only the answer is spoiled. */
void            pd_test_sandbox_fault          (PdTestSandbox  *sb,
                                                const char     *path_prefix,
                                                const char     *kind,
                                                guint           count,
                                                guint           param,
                                                gboolean        after_processing);
/* The requests received whose path starts with @path_prefix (NULL: all),
 * oldest first: objects with method, path, query, time, status, headers. */
JsonArray      *pd_test_sandbox_requests       (PdTestSandbox  *sb,
                                                const char     *path_prefix);
void            pd_test_sandbox_clear_requests (PdTestSandbox  *sb);
void            pd_test_sandbox_advance_clock  (PdTestSandbox  *sb,
                                                gint64          seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdTestResponse, pd_test_response_free)

G_END_DECLS
