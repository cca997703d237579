#define G_LOG_DOMAIN "pd-pesogate"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-card.h"
#include "pd-error.h"
#include "pd-json-read.h"
#include "pd-pesogate.h"
#include "pd-pesogate-private.h"

struct _PdPesogate
{
  GObject  parent_instance;

  PdHttp  *http;
  /* Where render_html content is loaded from: the gateway's origin. */
  char    *origin;
};

G_DEFINE_FINAL_TYPE (PdPesogate, pd_pesogate, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HTTP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Reading answers */

/* *@success is FALSE only when the answer says so; a "success" that is not
 * a boolean makes the answer unusable. */
static gboolean
read_success (JsonObject  *object,
              gboolean    *success,
              GError     **error)
{
  JsonNode *node = pd_json_get_member (object, "success");

  *success = TRUE;
  if (node == NULL)
    return TRUE;
  if (!pd_json_node_is (node, G_TYPE_BOOLEAN))
    {
      g_propagate_error (error, pd_json_bad_response ("success is not a boolean"));
      return FALSE;
    }
  *success = json_node_get_boolean (node);
  return TRUE;
}

static JsonObject *
body_object (JsonNode  *body,
             GError   **error)
{
  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      g_propagate_error (error, pd_json_bad_response ("the answer is not a JSON object"));
      return NULL;
    }
  return json_node_get_object (body);
}

/* PesoGate's card_type ("visa", "Master Card", "American Express") as one
 * of Paydesk's brand keys; "unknown" for a brand Paydesk does not know. */
static const char *
card_brand_key (const char *card_type)
{
  static const struct { const char *name; PdCardBrand brand; } aliases[] = {
    { "americanexpress", PD_CARD_BRAND_AMEX },
    { "master", PD_CARD_BRAND_MASTERCARD },
    { "mc", PD_CARD_BRAND_MASTERCARD },
    { "dinersclub", PD_CARD_BRAND_DINERS },
    { "chinaunionpay", PD_CARD_BRAND_UNIONPAY },
  };
  g_autoptr(GString) name = g_string_new (NULL);
  PdCardBrand brand;

  for (const char *p = card_type; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (name, g_ascii_tolower (*p));

  if (pd_card_brand_from_key (name->str, &brand))
    return pd_card_brand_to_key (brand);
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_str_equal (name->str, aliases[i].name))
      return pd_card_brand_to_key (aliases[i].brand);
  return pd_card_brand_to_key (PD_CARD_BRAND_UNKNOWN);
}

static gboolean
is_last_four (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || len > 4)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

PdTransaction *
pd_pesogate_parse_status (JsonNode    *body,
                          const char  *reference,
                          GError     **error)
{
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) money_error = NULL;
  JsonObject *root;
  JsonObject *data;
  JsonNode *node;
  const char *status, *currency, *order_id, *method, *card_type, *last_four;
  gint64 created_at, completed_at;
  gboolean success;
  PdMoney amount;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((root = body_object (body, error)) == NULL || !read_success (root, &success, error))
    return NULL;
  if (!success)
    {
      g_propagate_error (error, pd_gateway_error_new_from_response (200, body, -1));
      return NULL;
    }

  /* The spec wraps the fields in "data"; a bare object is read the same. */
  data = root;
  if ((node = pd_json_get_member (root, "data")) != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_propagate_error (error, pd_json_bad_response ("data is not an object"));
          return NULL;
        }
      data = json_node_get_object (node);
    }

  if (!pd_json_read_string (data, "status", TRUE, &status, error) ||
      !pd_json_read_string (data, "currency", TRUE, &currency, error) ||
      !pd_json_read_string (data, "order_id", FALSE, &order_id, error) ||
      !pd_json_read_string (data, "payment_method", FALSE, &method, error) ||
      !pd_json_read_string (data, "card_type", FALSE, &card_type, error) ||
      !pd_json_read_string (data, "card_last_four", FALSE, &last_four, error) ||
      !pd_json_read_time (data, "created_at", &created_at, error) ||
      !pd_json_read_time (data, "completed_at", &completed_at, error))
    return NULL;

  if (!pd_money_currency_is_known (currency))
    {
      g_propagate_error (error, pd_json_bad_response ("currency is not an ISO 4217 code"));
      return NULL;
    }
  if ((node = pd_json_get_member (data, "amount")) == NULL)
    {
      g_propagate_error (error, pd_json_bad_response ("amount is missing"));
      return NULL;
    }
  if (!pd_money_from_json_node (node, currency, &amount, &money_error))
    {
      g_propagate_error (error, pd_json_bad_response ("amount: %s", money_error->message));
      return NULL;
    }
  /* More would be part of a card number: never kept, never trusted. */
  if (last_four != NULL && !is_last_four (last_four))
    {
      g_propagate_error (error, pd_json_bad_response ("card_last_four is not up to four digits"));
      return NULL;
    }

  transaction = pd_transaction_new ();
  pd_transaction_set_gateway (transaction, PD_GATEWAY_PESOGATE);
  pd_transaction_set_reference (transaction, reference);
  pd_transaction_set_status (transaction, pd_status_from_pesogate (status));
  pd_transaction_set_gateway_status (transaction, status);
  pd_transaction_set_amount (transaction, amount.minor);
  pd_transaction_set_currency (transaction, amount.currency);
  pd_transaction_set_order_id (transaction, order_id);
  pd_transaction_set_payment_method (transaction, method);
  if (card_type != NULL)
    pd_transaction_set_card_brand (transaction, card_brand_key (card_type));
  pd_transaction_set_card_last_four (transaction, last_four);
  pd_transaction_set_created_at (transaction, created_at);
  pd_transaction_set_completed_at (transaction, completed_at);
  return g_steal_pointer (&transaction);
}

/* The status an answer to initialize gave, at its top or in "data". */
static gboolean
read_outcome_status (JsonObject  *root,
                     const char **status,
                     GError     **error)
{
  JsonNode *data = pd_json_get_member (root, "data");

  if (!pd_json_read_string (root, "status", FALSE, status, error))
    return FALSE;
  if (*status == NULL && data != NULL && JSON_NODE_HOLDS_OBJECT (data))
    return pd_json_read_string (json_node_get_object (data), "status", FALSE, status, error);
  return TRUE;
}

static PdPaymentOutcome *
final_outcome (const char *reference,
               const char *message,
               const char *status,
               PdStatus    fallback)
{
  PdPaymentOutcome *outcome = pd_payment_outcome_new (PD_PAYMENT_OUTCOME_FINAL, reference);

  pd_payment_outcome_set_message (outcome, message);
  pd_payment_outcome_set_status (outcome, status != NULL ? pd_status_from_pesogate (status) : fallback, status);
  return outcome;
}

PdPaymentOutcome *
pd_pesogate_parse_initialize (guint        http_status,
                              JsonNode    *body,
                              const char  *base_uri,
                              GError     **error)
{
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  JsonObject *root;
  const char *reference, *message, *status, *action, *redirect_url;
  gboolean success;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!SOUP_STATUS_IS_SUCCESSFUL (http_status))
    {
      /* A refusal that names a transaction is a final answer (a decline);
       * any other is an error. */
      if (body != NULL && JSON_NODE_HOLDS_OBJECT (body) && http_status >= 400 && http_status < 500 &&
          pd_json_read_string (json_node_get_object (body), "transaction_reference", FALSE, &reference, NULL) &&
          reference != NULL &&
          pd_json_read_string (json_node_get_object (body), "message", FALSE, &message, NULL) &&
          read_outcome_status (json_node_get_object (body), &status, NULL))
        return final_outcome (reference, message, status, PD_STATUS_FAILED);

      g_propagate_error (error, pd_gateway_error_new_from_response (http_status, body, -1));
      return NULL;
    }

  if ((root = body_object (body, error)) == NULL ||
      !read_success (root, &success, error) ||
      !pd_json_read_string (root, "transaction_reference", FALSE, &reference, error) ||
      !pd_json_read_string (root, "message", FALSE, &message, error) ||
      !pd_json_read_string (root, "action", FALSE, &action, error) ||
      !pd_json_read_string (root, "redirect_url", FALSE, &redirect_url, error) ||
      !read_outcome_status (root, &status, error))
    return NULL;

  if (!success && reference == NULL)
    {
      g_propagate_error (error, pd_gateway_error_new_from_response (http_status, body, -1));
      return NULL;
    }
  if (reference == NULL)
    {
      g_propagate_error (error, pd_json_bad_response ("transaction_reference is missing"));
      return NULL;
    }
  if (!success)
    return final_outcome (reference, message, status, PD_STATUS_FAILED);

  if (action != NULL)
    {
      const char *html;

      if (!g_str_equal (action, "render_html"))
        {
          g_propagate_error (error, pd_json_bad_response ("unknown action"));
          return NULL;
        }
      if (!pd_json_read_string (root, "html_content", TRUE, &html, error))
        return NULL;
      outcome = pd_payment_outcome_new (PD_PAYMENT_OUTCOME_RENDER_HTML, reference);
      pd_payment_outcome_set_html (outcome, html, base_uri);
    }
  else if (redirect_url != NULL)
    {
      /* The same rule as for the gateway itself: no plain http but loopback. */
      if (!pd_http_check_base_url (redirect_url, NULL))
        {
          g_propagate_error (error, pd_json_bad_response ("redirect_url is not an https URL"));
          return NULL;
        }
      outcome = pd_payment_outcome_new (PD_PAYMENT_OUTCOME_REDIRECT, reference);
      pd_payment_outcome_set_redirect_url (outcome, redirect_url);
    }
  else
    return final_outcome (reference, message, status, PD_STATUS_UNKNOWN);

  pd_payment_outcome_set_message (outcome, message);
  return g_steal_pointer (&outcome);
}

gboolean
pd_pesogate_parse_refund (JsonNode    *body,
                          char       **message,
                          GError     **error)
{
  JsonObject *root;
  const char *text = NULL;
  const char *reference;
  gboolean success = TRUE;

  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *message = NULL;
  /* A 2xx with no body at all still says the refund was made. */
  if (body != NULL &&
      ((root = body_object (body, error)) == NULL ||
       !read_success (root, &success, error) ||
       !pd_json_read_string (root, "message", FALSE, &text, error) ||
       !pd_json_read_string (root, "transaction_reference", FALSE, &reference, error)))
    return FALSE;

  if (!success)
    {
      g_propagate_error (error, pd_gateway_error_new_from_response (200, body, -1));
      return FALSE;
    }
  *message = g_strdup (text);
  return TRUE;
}

char *
pd_pesogate_origin_of (const char *base_url)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "/", NULL, NULL);
}

/* Paths */

/* @text as one path segment: everything but letters, digits, '-', '_' and
 * '~' escaped, so "..", "/" or "?" in a reference cannot reach another
 * endpoint. */
static char *
escape_segment (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '~')
        g_string_append_c (out, (char) *p);
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
  return g_string_free (out, FALSE);
}

static char *
payment_path (const char *reference,
              const char *action)
{
  g_autofree char *segment = escape_segment (reference);

  return g_strdup_printf ("/payments/%s/%s", segment, action);
}

/* Initialize */

/* Replaces what @error says, keeping its code's data (fields, status). */
static void
error_set_message (GError     *error,
                   int         code,
                   const char *message)
{
  error->code = code;
  g_free (error->message);
  error->message = g_strdup (message);
}

static gboolean
says_order_id_taken (const GError *error)
{
  GHashTable *fields = pd_gateway_error_get_fields (error);
  const char * const *messages;

  if (!g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_VALIDATION) || fields == NULL)
    return FALSE;
  messages = g_hash_table_lookup (fields, "order_id");
  for (guint i = 0; messages != NULL && messages[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (messages[i], -1);

      if (strstr (lower, "taken") != NULL || strstr (lower, "already") != NULL ||
          strstr (lower, "exists") != NULL || strstr (lower, "duplicate") != NULL)
        return TRUE;
    }
  return FALSE;
}

/* An initialize whose fate is unclear must never lead to a second charge:
 * PesoGate cannot look a payment up by order id, so the clerk is told to
 * check before charging again. */
static void
adjust_initialize_error (GError     *error,
                         const char *order_id)
{
  g_autofree char *message = NULL;
  g_autofree char *shown_id = NULL;

  /* An order id is only ever taken by a payment: on a retry, by the
   * attempt whose answer was lost. */
  if (!says_order_id_taken (error) &&
      !g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN) &&
      /* A 5xx came from the gateway: it may have taken the payment first. */
      !g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_SERVER))
    return;

  /* An order number is the caller's text: nothing like a card number shows. */
  shown_id = pd_redact_card_numbers (order_id);
  /* Translators: %s is the payment's order number, e.g. "PD-20250510-3F9A1C2B7D4E" */
  message = g_strdup_printf (_("The payment may have been taken, but the gateway’s answer was lost. "
                               "PesoGate cannot look a payment up by its order number (%s): "
                               "check the gateway’s records before charging this card again."),
                             shown_id);
  error_set_message (error, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN, message);
}

static void
on_initialized (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PdPesogate *self = g_task_get_source_object (task);
  const char *order_id = g_task_get_task_data (task);
  g_autoptr(PdHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  PdPaymentOutcome *outcome;

  response = pd_http_request_finish (PD_HTTP (source), result, &error);
  if (response == NULL)
    {
      adjust_initialize_error (error, order_id);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  outcome = pd_pesogate_parse_initialize (response->status, response->body, self->origin, &error);
  if (outcome == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  pd_payment_outcome_set_order_id (outcome, order_id);
  g_task_return_pointer (task, outcome, (GDestroyNotify) pd_payment_outcome_free);
}

void
pd_pesogate_initialize_async (PdPesogate          *self,
                              PdPaymentRequest    *request,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  char *body;

  g_return_if_fail (PD_IS_PESOGATE (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_pesogate_initialize_async);
  g_task_set_check_cancellable (task, FALSE);

  /* Sent once: a second payment needs the card keyed in again. */
  if (!pd_payment_request_has_card (request))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                               _("The card details are gone: they are wiped once a payment is sent. "
                                 "Enter the card again."));
      return;
    }

  /* Generated before the first attempt, so every retry sends the same. */
  g_task_set_task_data (task, g_strdup (pd_payment_request_ensure_order_id (request)), g_free);

  body = pd_payment_request_to_json (request);
  pd_http_request_async (self->http, "POST", "/payments/initialize", body, PD_HTTP_FLAGS_IDEMPOTENT,
                         cancellable, on_initialized, g_steal_pointer (&task));
  /* pd-http holds the only copy now, and wipes it when the request is over. */
  pd_card_wipe_string (body);
  pd_payment_request_wipe_card (request);
}

PdPaymentOutcome *
pd_pesogate_initialize_finish (PdPesogate    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (PD_IS_PESOGATE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_pesogate_initialize_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Status */

static void
on_status (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *reference = g_task_get_task_data (task);
  g_autoptr(PdHttpResponse) response = NULL;
  GError *error = NULL;
  PdTransaction *transaction;

  response = pd_http_request_finish (PD_HTTP (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  transaction = pd_pesogate_parse_status (response->body, reference, &error);
  if (transaction == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, transaction, g_object_unref);
}

void
pd_pesogate_status_async (PdPesogate          *self,
                          const char          *reference,
                          PdHttpFlags          flags,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (PD_IS_PESOGATE (self));
  g_return_if_fail (reference != NULL && reference[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_pesogate_status_async);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_strdup (reference), g_free);

  path = payment_path (reference, "status");
  pd_http_request_async (self->http, "GET", path, NULL, flags & PD_HTTP_FLAGS_BACKGROUND,
                         cancellable, on_status, g_steal_pointer (&task));
}

PdTransaction *
pd_pesogate_status_finish (PdPesogate    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (PD_IS_PESOGATE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_pesogate_status_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Refund */

typedef struct
{
  char          *reference;
  PdMoney        amount;
  gboolean       full;
  PdStatus       status_before;
  gint64         requested_at;
  PdTransaction *transaction;
} RefundData;

static void
refund_data_free (RefundData *data)
{
  g_free (data->reference);
  g_clear_object (&data->transaction);
  g_free (data);
}

static void
return_refund (GTask           *task,
               PdRefundOutcome  outcome,
               const char      *message)
{
  RefundData *data = g_task_get_task_data (task);
  PdRefund *refund = pd_refund_new ();

  pd_refund_set_transaction (refund, data->reference);
  pd_refund_set_requested_at (refund, data->requested_at);
  if (!data->full)
    {
      pd_refund_set_amount (refund, data->amount.minor);
      pd_refund_set_currency (refund, data->amount.currency);
    }
  else if (data->transaction != NULL)
    pd_refund_set_currency (refund, pd_transaction_get_currency (data->transaction));
  pd_refund_set_outcome (refund, outcome);
  pd_refund_set_message (refund, message);
  g_task_return_pointer (task, refund, g_object_unref);
}

static void
on_refund_status (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RefundData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  PdStatus status;

  data->transaction = pd_pesogate_status_finish (PD_PESOGATE (source), result, &error);
  if (data->transaction == NULL)
    {
      g_debug ("refund of %s: status check failed: %s", data->reference, error->message);
      return_refund (task, PD_REFUND_OUTCOME_UNKNOWN,
                     _("The refund reached the gateway but its answer was lost, and the payment’s status "
                       "could not be checked. Do not refund again before checking this payment."));
      return;
    }

  status = pd_transaction_get_status (data->transaction);
  if (status == PD_STATUS_REFUNDED && data->status_before != PD_STATUS_REFUNDED &&
      data->status_before != PD_STATUS_UNKNOWN)
    {
      return_refund (task, PD_REFUND_OUTCOME_SUCCEEDED,
                     _("The refund’s answer was lost, but the gateway now shows the payment as refunded: "
                       "the refund went through."));
      return;
    }

  if (status == PD_STATUS_REFUNDED)
    message = g_strdup (_("The refund reached the gateway but its answer was lost. The payment shows as "
                          "refunded, but that may be from an earlier refund. Do not refund again before "
                          "checking this payment’s refunds."));
  else
    /* Translators: %s is a payment status, e.g. "Completed" */
    message = g_strdup_printf (_("The refund reached the gateway but its answer was lost, and the payment "
                                 "still shows as “%s”. Do not refund again before checking this payment."),
                               pd_status_get_label (status));
  return_refund (task, PD_REFUND_OUTCOME_UNKNOWN, message);
}

/* The refund may or may not have been made: never send it again, ask. */
static void
check_refund_status (GTask *task)
{
  RefundData *data = g_task_get_task_data (task);

  pd_pesogate_status_async (g_task_get_source_object (task), data->reference, PD_HTTP_FLAGS_NONE,
                            g_task_get_cancellable (task), on_refund_status, g_object_ref (task));
}

static void
on_refunded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RefundData *data = g_task_get_task_data (task);
  g_autoptr(PdHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  response = pd_http_request_finish (PD_HTTP (source), result, &error);
  if (response != NULL)
    {
      if (pd_pesogate_parse_refund (response->body, &message, &error))
        {
          return_refund (task, PD_REFUND_OUTCOME_SUCCEEDED, message);
          return;
        }
      /* A 2xx that cannot be read: the refund was probably made. */
      if (g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_RESPONSE))
        {
          g_debug ("refund of %s: unreadable answer: %s", data->reference, error->message);
          check_refund_status (task);
          return;
        }
    }
  else if (g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_OUTCOME_UNKNOWN) ||
           g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_SERVER))
    {
      g_debug ("refund of %s: outcome unclear: %s", data->reference, error->message);
      check_refund_status (task);
      return;
    }

  if (g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_BAD_REQUEST))
    {
      const char *why = pd_gateway_error_get_gateway_message (error);
      g_autofree char *text = NULL;

      if (why != NULL)
        /* Translators: %s is the gateway's reason, in its own words (English) */
        text = g_strdup_printf (_("The payment gateway refused the refund: %s"), why);
      else
        text = g_strdup (_("The payment gateway refused the refund: this payment cannot be refunded now."));
      error_set_message (error, PD_GATEWAY_ERROR_BAD_REQUEST, text);
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

void
pd_pesogate_refund_async (PdPesogate          *self,
                          const char          *reference,
                          const PdMoney       *amount,
                          PdStatus             status_before,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) body = g_string_new ("{");
  g_autofree char *path = NULL;
  RefundData *data;

  g_return_if_fail (PD_IS_PESOGATE (self));
  g_return_if_fail (reference != NULL && reference[0] != '\0');
  g_return_if_fail (amount == NULL || pd_money_currency_is_known (amount->currency));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_pesogate_refund_async);
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (RefundData, 1);
  data->reference = g_strdup (reference);
  data->full = amount == NULL;
  if (amount != NULL)
    data->amount = *amount;
  data->status_before = status_before;
  data->requested_at = g_get_real_time () / G_USEC_PER_SEC;
  g_task_set_task_data (task, data, (GDestroyNotify) refund_data_free);

  if (amount != NULL)
    {
      g_string_append (body, "\"amount\":");
      pd_money_append_json (body, amount);
    }
  g_string_append_c (body, '}');

  path = payment_path (reference, "refund");
  /* Never PD_HTTP_FLAGS_IDEMPOTENT: a refund is sent once. */
  pd_http_request_async (self->http, "POST", path, body->str, PD_HTTP_FLAGS_NONE,
                         cancellable, on_refunded, g_steal_pointer (&task));
}

PdRefund *
pd_pesogate_refund_finish (PdPesogate     *self,
                           GAsyncResult   *result,
                           PdTransaction **transaction,
                           GError        **error)
{
  RefundData *data;
  PdRefund *refund;

  g_return_val_if_fail (PD_IS_PESOGATE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_pesogate_refund_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  refund = g_task_propagate_pointer (G_TASK (result), error);
  if (transaction != NULL)
    *transaction = refund != NULL && data->transaction != NULL ? g_object_ref (data->transaction) : NULL;
  return refund;
}

/* Test connection */

static void
on_credentials_checked (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PdHttpResponse) response = NULL;
  GError *error = NULL;

  response = pd_http_request_finish (PD_HTTP (source), result, &error);
  /* Only accepted keys get as far as looking the reference up. */
  if (response != NULL || g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_error (task, error);
}

void
pd_pesogate_check_credentials_async (PdPesogate          *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *reference = g_uuid_string_random ();
  g_autofree char *path = payment_path (reference, "status");

  g_return_if_fail (PD_IS_PESOGATE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_pesogate_check_credentials_async);
  g_task_set_check_cancellable (task, FALSE);

  pd_http_request_async (self->http, "GET", path, NULL, PD_HTTP_FLAGS_NONE,
                         cancellable, on_credentials_checked, g_steal_pointer (&task));
}

gboolean
pd_pesogate_check_credentials_finish (PdPesogate    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (PD_IS_PESOGATE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_pesogate_check_credentials_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The object */

PdPesogate *
pd_pesogate_new (const char  *base_url,
                 const char  *api_key,
                 const char  *api_secret,
                 PdPacer     *pacer,
                 GError     **error)
{
  g_autoptr(PdHttp) http = NULL;

  g_return_val_if_fail (api_key != NULL, NULL);
  g_return_val_if_fail (api_secret != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  http = pd_http_new (base_url, pacer, error);
  if (http == NULL)
    return NULL;
  pd_http_set_credentials (http, api_key, api_secret);

  return g_object_new (PD_TYPE_PESOGATE, "http", http, NULL);
}

PdHttp *
pd_pesogate_get_http (PdPesogate *self)
{
  g_return_val_if_fail (PD_IS_PESOGATE (self), NULL);

  return self->http;
}

static void
pd_pesogate_constructed (GObject *object)
{
  PdPesogate *self = PD_PESOGATE (object);

  G_OBJECT_CLASS (pd_pesogate_parent_class)->constructed (object);

  g_assert (self->http != NULL);
  self->origin = pd_pesogate_origin_of (pd_http_get_base_url (self->http));
}

static void
pd_pesogate_dispose (GObject *object)
{
  PdPesogate *self = PD_PESOGATE (object);

  g_clear_object (&self->http);

  G_OBJECT_CLASS (pd_pesogate_parent_class)->dispose (object);
}

static void
pd_pesogate_finalize (GObject *object)
{
  PdPesogate *self = PD_PESOGATE (object);

  g_free (self->origin);

  G_OBJECT_CLASS (pd_pesogate_parent_class)->finalize (object);
}

static void
pd_pesogate_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PdPesogate *self = PD_PESOGATE (object);

  switch (prop_id)
    {
    case PROP_HTTP:
      g_value_set_object (value, self->http);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_pesogate_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PdPesogate *self = PD_PESOGATE (object);

  switch (prop_id)
    {
    case PROP_HTTP:
      self->http = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_pesogate_class_init (PdPesogateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pd_pesogate_constructed;
  object_class->dispose = pd_pesogate_dispose;
  object_class->finalize = pd_pesogate_finalize;
  object_class->get_property = pd_pesogate_get_property;
  object_class->set_property = pd_pesogate_set_property;

  /**
   * PdPesogate:http:
   *
   * The account's connection, with the key and secret already set.
   */
  properties[PROP_HTTP] =
    g_param_spec_object ("http", NULL, NULL,
                         PD_TYPE_HTTP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_pesogate_init (PdPesogate *self)
{
}
