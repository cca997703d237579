/* pd-sandbox-private.h: what the sandbox's server and its two gateways share */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pd-sandbox.h"

G_BEGIN_DECLS

/* Request bodies larger than this get 413 before any parsing. */
#define PD_SANDBOX_MAX_BODY (256 * 1024)
/* JSON nested deeper than this is refused (400). */
#define PD_SANDBOX_MAX_DEPTH 32

typedef enum
{
  PD_SANDBOX_BODY_OK,
  PD_SANDBOX_BODY_EMPTY,
  PD_SANDBOX_BODY_TOO_LARGE,
  PD_SANDBOX_BODY_MALFORMED,
  PD_SANDBOX_BODY_TOO_DEEP,
  PD_SANDBOX_BODY_NOT_OBJECT,
} PdSandboxBodyStatus;

/* The sandbox's clock, in Unix seconds: wall time plus what tests advanced. */
gint64     pd_sandbox_now               (PdSandbox          *self);
/* An object id (a UUID); drawn from @rand when it is not NULL (demo data). */
char      *pd_sandbox_new_id            (GRand              *rand);
/* ISO 8601 in UTC with a Z, as the specs write it: "2025-05-10T12:30:45Z". */
char      *pd_sandbox_format_time       (gint64              unix_time);

/* Parses a JSON request body; on anything but OK, *object_out is NULL. */
PdSandboxBodyStatus
           pd_sandbox_parse_json_body   (SoupServerMessage  *msg,
                                         JsonObject        **object_out);

/* JSON text with doubles written as their shortest exact decimal. */
char      *pd_sandbox_json_to_string    (JsonNode           *node);

/* Replies. Each sets the status, the Content-Type and the whole body. */
void       pd_sandbox_reply_json        (SoupServerMessage  *msg,
                                         guint               status,
                                         JsonBuilder        *builder);
void       pd_sandbox_reply_html        (SoupServerMessage  *msg,
                                         guint               status,
                                         const char         *html);
void       pd_sandbox_reply_redirect    (SoupServerMessage  *msg,
                                         const char         *location);

/* PesoGate's error body: {"success": false, "message": …[, "errors": {…}]}.
 * @errors may be NULL; it maps a field name to a JsonArray of messages. */
void       pd_sandbox_reply_pesogate_error  (SoupServerMessage *msg,
                                             guint              status,
                                             const char        *message,
                                             JsonObject        *errors);
/* PaysGator's error body: {"error": {"message": …, "code": …}}. */
void       pd_sandbox_reply_paysgator_error (SoupServerMessage *msg,
                                             guint              status,
                                             const char        *code,
                                             const char        *message);

/* Text escaped for HTML element content and attribute values. */
char      *pd_sandbox_html_escape       (const char         *text);

/* A page in the sandbox's look, for the ACS and checkout pages. */
char      *pd_sandbox_html_page         (const char         *title,
                                         const char         *body_html);

G_END_DECLS
