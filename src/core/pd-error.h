/* pd-error.h: the error domain for everything that talks to a gateway */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PD_GATEWAY_ERROR (pd_gateway_error_quark ())

/**
 * PdGatewayError:
 * @PD_GATEWAY_ERROR_NETWORK: the gateway could not be reached, or the
 *   connection broke before the request was sent
 * @PD_GATEWAY_ERROR_TLS: the gateway's certificate failed verification; the
 *   message names what was wrong with it
 * @PD_GATEWAY_ERROR_TIMEOUT: no answer within the request timeout, before
 *   the request was fully sent or for a request that is safe to repeat
 * @PD_GATEWAY_ERROR_INSECURE_URL: the base URL is not https:// (plain
 *   http:// is accepted for loopback only) or is not a URL at all
 * @PD_GATEWAY_ERROR_UNAUTHORIZED: the API key or secret was refused (401)
 * @PD_GATEWAY_ERROR_NOT_FOUND: no such transaction, link or subscription (404)
 * @PD_GATEWAY_ERROR_BAD_REQUEST: the gateway refused the request (400 and
 *   other 4xx); the gateway's message says why
 * @PD_GATEWAY_ERROR_VALIDATION: fields were refused (422, MISSING_FIELDS);
 *   pd_gateway_error_get_fields() has the field → messages table
 * @PD_GATEWAY_ERROR_RATE_LIMITED: the gateway answered 429;
 *   pd_gateway_error_get_retry_after_ms() has the wait
 * @PD_GATEWAY_ERROR_DECLINED: the payment failed or was declined
 * @PD_GATEWAY_ERROR_INVALID_ACTION: the action does not fit the item's state
 * @PD_GATEWAY_ERROR_MODE_MISMATCH: the item belongs to the other mode (LIVE/TEST)
 * @PD_GATEWAY_ERROR_CURRENCY_MISMATCH: the currency is not the wallet's
 * @PD_GATEWAY_ERROR_WALLET_NOT_FOUND: the key has no wallet
 * @PD_GATEWAY_ERROR_SERVER: the gateway failed (5xx, INTERNAL_ERROR, or an
 *   HTML error page with a 5xx status)
 * @PD_GATEWAY_ERROR_BAD_RESPONSE: the answer cannot be used: malformed,
 *   truncated, too large, of the wrong type, or not JSON
 * @PD_GATEWAY_ERROR_CANCELLED: the caller cancelled the request
 * @PD_GATEWAY_ERROR_OUTCOME_UNKNOWN: a request that is not safe to repeat
 *   was sent in full but its answer was lost or unreadable; the caller
 *   must check the status before doing anything else
 *
 * What a view can act on. Every error of this domain has a translated
 * message a shopkeeper understands; what the gateway said is kept apart
 * (pd_gateway_error_get_gateway_message()).
 */
typedef enum
{
  PD_GATEWAY_ERROR_NETWORK,
  PD_GATEWAY_ERROR_TLS,
  PD_GATEWAY_ERROR_TIMEOUT,
  PD_GATEWAY_ERROR_INSECURE_URL,
  PD_GATEWAY_ERROR_UNAUTHORIZED,
  PD_GATEWAY_ERROR_NOT_FOUND,
  PD_GATEWAY_ERROR_BAD_REQUEST,
  PD_GATEWAY_ERROR_VALIDATION,
  PD_GATEWAY_ERROR_RATE_LIMITED,
  PD_GATEWAY_ERROR_DECLINED,
  PD_GATEWAY_ERROR_INVALID_ACTION,
  PD_GATEWAY_ERROR_MODE_MISMATCH,
  PD_GATEWAY_ERROR_CURRENCY_MISMATCH,
  PD_GATEWAY_ERROR_WALLET_NOT_FOUND,
  PD_GATEWAY_ERROR_SERVER,
  PD_GATEWAY_ERROR_BAD_RESPONSE,
  PD_GATEWAY_ERROR_CANCELLED,
  PD_GATEWAY_ERROR_OUTCOME_UNKNOWN,
} PdGatewayError;

GQuark      pd_gateway_error_quark                (void);

/* The translated, human message of @code. */
const char *pd_gateway_error_code_get_message     (PdGatewayError        code);

/* An error with the human message of @code; @detail (technical, not
 * translated, may be NULL) is kept for pd_gateway_error_get_detail(). */
GError     *pd_gateway_error_new                  (PdGatewayError        code,
                                                   const char           *detail);
/* A TLS error whose message says what is wrong with the certificate. */
GError     *pd_gateway_error_new_tls              (GTlsCertificateFlags  flags,
                                                   const char           *detail);
/* A 429: the message says how long Paydesk waits (@retry_after_ms, or -1
 * when unknown). */
GError     *pd_gateway_error_new_rate_limited     (gint64                retry_after_ms,
                                                   const char           *gateway_message);
/* The error for a non-2xx answer (or a 2xx with success: false). @body is
 * the parsed JSON or NULL; both gateways' error shapes are understood
 * (PesoGate {success, message, errors: {field: [..]}}, PaysGator
 * {error: {message, code}}); anything else falls back to @http_status.
 * @retry_after_ms is the answer's Retry-After, or -1. */
GError     *pd_gateway_error_new_from_response    (guint                 http_status,
                                                   JsonNode             *body,
                                                   gint64                retry_after_ms);

/* Which code a PaysGator error code maps to; FALSE when it is not one of
 * the documented codes. */
gboolean    pd_gateway_error_code_from_paysgator  (const char           *gateway_code,
                                                   PdGatewayError       *code);
/* Which code an HTTP status maps to when the body says nothing more. */
PdGatewayError
            pd_gateway_error_code_from_status     (guint                 http_status);

/* Extra data. Each accessor accepts any GError (or NULL) and gives the
 * "none" value (0, NULL, -1) when the error is not of this domain. */
guint       pd_gateway_error_get_http_status      (const GError         *error);
const char *pd_gateway_error_get_gateway_message  (const GError         *error);
const char *pd_gateway_error_get_gateway_code     (const GError         *error);
const char *pd_gateway_error_get_detail           (const GError         *error);
/* Field name → GStrv of messages; read-only; NULL when there are none. */
GHashTable *pd_gateway_error_get_fields           (const GError         *error);
gint64      pd_gateway_error_get_retry_after_ms   (const GError         *error);

void        pd_gateway_error_set_http_status      (GError               *error,
                                                   guint                 http_status);
void        pd_gateway_error_set_detail           (GError               *error,
                                                   const char           *detail);

/* @text with every run of 13 to 19 digits (spaces or dashes between them
 * allowed) that stands alone replaced by "[redacted]": what a card number
 * looks like. */
char       *pd_redact_card_numbers                (const char           *text);

G_END_DECLS
