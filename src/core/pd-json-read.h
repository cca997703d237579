/* pd-json-read.h: reading gateway answers strictly, for both clients */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A PD_GATEWAY_ERROR_BAD_RESPONSE with a technical detail. */
GError   *pd_json_bad_response (const char   *format,
                                ...) G_GNUC_PRINTF (1, 2);
/* The member, or NULL when it is absent or null. */
JsonNode *pd_json_get_member   (JsonObject   *object,
                                const char   *name);
gboolean  pd_json_node_is      (JsonNode     *node,
                                GType         type);
/* *@out is the member's text, or NULL when it is absent, null or (unless
 * @required) empty; any other type is an unusable answer. */
gboolean  pd_json_read_string  (JsonObject   *object,
                                const char   *name,
                                gboolean      required,
                                const char  **out,
                                GError      **error);
/* ISO 8601 (UTC unless it says otherwise) as Unix seconds; 0 when absent. */
gboolean  pd_json_read_time    (JsonObject   *object,
                                const char   *name,
                                gint64       *out,
                                GError      **error);

G_END_DECLS
