#define G_LOG_DOMAIN "pd-error"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-error.h"

/* A gateway's text is shown as detail; this keeps a hostile one short. */
#define MAX_GATEWAY_TEXT 1000

typedef struct
{
  guint       http_status;
  char       *gateway_code;
  char       *gateway_message;
  char       *detail;
  GHashTable *fields;
  gint64      retry_after_ms;
} PdGatewayErrorPrivate;

static void
pd_gateway_error_private_init (PdGatewayErrorPrivate *priv)
{
  priv->retry_after_ms = -1;
}

static void
pd_gateway_error_private_copy (const PdGatewayErrorPrivate *src,
                               PdGatewayErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->gateway_code = g_strdup (src->gateway_code);
  dest->gateway_message = g_strdup (src->gateway_message);
  dest->detail = g_strdup (src->detail);
  /* The table is never changed once the error exists, so copies share it. */
  dest->fields = src->fields ? g_hash_table_ref (src->fields) : NULL;
  dest->retry_after_ms = src->retry_after_ms;
}

static void
pd_gateway_error_private_clear (PdGatewayErrorPrivate *priv)
{
  g_clear_pointer (&priv->gateway_code, g_free);
  g_clear_pointer (&priv->gateway_message, g_free);
  g_clear_pointer (&priv->detail, g_free);
  g_clear_pointer (&priv->fields, g_hash_table_unref);
}

G_DEFINE_EXTENDED_ERROR (PdGatewayError, pd_gateway_error)

static PdGatewayErrorPrivate *
get_private_or_null (const GError *error)
{
  if (error == NULL || error->domain != PD_GATEWAY_ERROR)
    return NULL;
  return pd_gateway_error_get_private (error);
}

const char *
pd_gateway_error_code_get_message (PdGatewayError code)
{
  switch (code)
    {
    case PD_GATEWAY_ERROR_NETWORK:
      return _("Paydesk could not reach the payment gateway. Check the internet connection and try again.");
    case PD_GATEWAY_ERROR_TLS:
      return _("The payment gateway’s security certificate could not be verified, so Paydesk did not connect.");
    case PD_GATEWAY_ERROR_TIMEOUT:
      return _("The payment gateway took too long to answer. Try again in a moment.");
    case PD_GATEWAY_ERROR_INSECURE_URL:
      return _("The gateway address must be a valid https:// address. Plain http:// is only allowed for this computer.");
    case PD_GATEWAY_ERROR_UNAUTHORIZED:
      return _("The payment gateway did not accept this account’s API key. Check the key and secret in the account settings.");
    case PD_GATEWAY_ERROR_NOT_FOUND:
      return _("The payment gateway has no record of this item.");
    case PD_GATEWAY_ERROR_BAD_REQUEST:
      return _("The payment gateway refused the request.");
    case PD_GATEWAY_ERROR_VALIDATION:
      return _("The payment gateway did not accept some of the details. Check the marked fields.");
    case PD_GATEWAY_ERROR_RATE_LIMITED:
      return _("The payment gateway asked Paydesk to slow down. Paydesk waits a moment before trying again.");
    case PD_GATEWAY_ERROR_DECLINED:
      return _("The payment was declined.");
    case PD_GATEWAY_ERROR_INVALID_ACTION:
      return _("This cannot be done in the item’s current state.");
    case PD_GATEWAY_ERROR_MODE_MISMATCH:
      return _("This item belongs to the other mode (live or test) than the account’s key.");
    case PD_GATEWAY_ERROR_CURRENCY_MISMATCH:
      return _("The currency does not match the wallet’s currency.");
    case PD_GATEWAY_ERROR_WALLET_NOT_FOUND:
      return _("The payment gateway found no wallet for this account.");
    case PD_GATEWAY_ERROR_SERVER:
      return _("The payment gateway has a problem right now. Try again in a moment.");
    case PD_GATEWAY_ERROR_BAD_RESPONSE:
      return _("The payment gateway sent an answer Paydesk could not read.");
    case PD_GATEWAY_ERROR_CANCELLED:
      return _("The request was cancelled.");
    case PD_GATEWAY_ERROR_OUTCOME_UNKNOWN:
      return _("The request reached the payment gateway but its answer was lost. Check the status before trying again.");
    default:
      g_return_val_if_reached (_("The payment gateway could not be used."));
    }
}

static char *
clean_gateway_text (const char *text)
{
  g_autofree char *redacted = NULL;

  if (text == NULL)
    return NULL;
  redacted = pd_redact_card_numbers (text);
  if (g_utf8_strlen (redacted, -1) > MAX_GATEWAY_TEXT)
    return g_utf8_substring (redacted, 0, MAX_GATEWAY_TEXT);
  return g_steal_pointer (&redacted);
}

static GError *
new_with_message (PdGatewayError  code,
                  const char     *message,
                  const char     *detail)
{
  GError *error = g_error_new_literal (PD_GATEWAY_ERROR, code, message);
  PdGatewayErrorPrivate *priv = pd_gateway_error_get_private (error);

  priv->detail = clean_gateway_text (detail);
  return error;
}

GError *
pd_gateway_error_new (PdGatewayError  code,
                      const char     *detail)
{
  return new_with_message (code, pd_gateway_error_code_get_message (code), detail);
}

GError *
pd_gateway_error_new_tls (GTlsCertificateFlags  flags,
                          const char           *detail)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();
  g_autofree char *joined = NULL;
  g_autofree char *message = NULL;

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (reasons, (gpointer) _("it is not signed by a known authority"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (reasons, (gpointer) _("it was issued for another address"));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_ptr_array_add (reasons, (gpointer) _("it is not valid yet"));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    g_ptr_array_add (reasons, (gpointer) _("it has expired"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (reasons, (gpointer) _("it has been revoked"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (reasons, (gpointer) _("it uses an insecure algorithm"));
  if (flags & G_TLS_CERTIFICATE_GENERIC_ERROR || reasons->len == 0)
    g_ptr_array_add (reasons, (gpointer) _("it could not be checked"));
  g_ptr_array_add (reasons, NULL);

  /* Translators: the separator between reasons a certificate was refused */
  joined = g_strjoinv (_("; "), (char **) reasons->pdata);
  /* Translators: %s is one or more reasons, e.g. "it has expired" */
  message = g_strdup_printf (_("The payment gateway’s security certificate was refused: %s. Paydesk did not connect."),
                             joined);
  return new_with_message (PD_GATEWAY_ERROR_TLS, message, detail);
}

GError *
pd_gateway_error_new_rate_limited (gint64      retry_after_ms,
                                   const char *gateway_message)
{
  GError *error;
  PdGatewayErrorPrivate *priv;

  if (retry_after_ms >= 0)
    {
      guint seconds = (guint) MAX (1, (retry_after_ms + 999) / 1000);
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "The payment gateway asked Paydesk to slow down. Paydesk waits %u second before trying again.",
                                      "The payment gateway asked Paydesk to slow down. Paydesk waits %u seconds before trying again.",
                                      seconds),
                         seconds);

      error = new_with_message (PD_GATEWAY_ERROR_RATE_LIMITED, message, NULL);
    }
  else
    error = pd_gateway_error_new (PD_GATEWAY_ERROR_RATE_LIMITED, NULL);

  priv = pd_gateway_error_get_private (error);
  priv->http_status = 429;
  priv->retry_after_ms = retry_after_ms;
  priv->gateway_message = clean_gateway_text (gateway_message);
  return error;
}

gboolean
pd_gateway_error_code_from_paysgator (const char     *gateway_code,
                                      PdGatewayError *code)
{
  static const struct {
    const char     *name;
    PdGatewayError  code;
  } map[] = {
    { "UNAUTHORIZED", PD_GATEWAY_ERROR_UNAUTHORIZED },
    { "NOT_FOUND", PD_GATEWAY_ERROR_NOT_FOUND },
    { "MISSING_FIELDS", PD_GATEWAY_ERROR_VALIDATION },
    { "WALLET_NOT_FOUND", PD_GATEWAY_ERROR_WALLET_NOT_FOUND },
    { "CURRENCY_MISMATCH", PD_GATEWAY_ERROR_CURRENCY_MISMATCH },
    { "PAYMENT_FAILED", PD_GATEWAY_ERROR_DECLINED },
    { "INTERNAL_ERROR", PD_GATEWAY_ERROR_SERVER },
    { "INVALID_ACTION", PD_GATEWAY_ERROR_INVALID_ACTION },
    { "MODE_MISMATCH", PD_GATEWAY_ERROR_MODE_MISMATCH },
  };

  if (gateway_code == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    {
      if (g_str_equal (gateway_code, map[i].name))
        {
          *code = map[i].code;
          return TRUE;
        }
    }
  return FALSE;
}

PdGatewayError
pd_gateway_error_code_from_status (guint http_status)
{
  switch (http_status)
    {
    case 400:
      return PD_GATEWAY_ERROR_BAD_REQUEST;
    case 401:
    case 403:
      return PD_GATEWAY_ERROR_UNAUTHORIZED;
    case 402:
      return PD_GATEWAY_ERROR_DECLINED;
    case 404:
    case 410:
      return PD_GATEWAY_ERROR_NOT_FOUND;
    case 408:
      return PD_GATEWAY_ERROR_TIMEOUT;
    case 422:
      return PD_GATEWAY_ERROR_VALIDATION;
    case 429:
      return PD_GATEWAY_ERROR_RATE_LIMITED;
    default:
      if (http_status >= 400 && http_status < 500)
        return PD_GATEWAY_ERROR_BAD_REQUEST;
      if (http_status >= 500 && http_status < 600)
        return PD_GATEWAY_ERROR_SERVER;
      /* 1xx, 2xx and 3xx never carry an error this way: the answer is wrong. */
      return PD_GATEWAY_ERROR_BAD_RESPONSE;
    }
}

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* PesoGate's {"field": ["message", …]}; a lone string counts as one message. */
static GHashTable *
parse_fields (JsonObject *errors)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_strfreev);
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, errors);
  while (json_object_iter_next (&iter, &name, &value))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *array = json_node_get_array (value);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
                {
                  g_autofree char *text = clean_gateway_text (json_node_get_string (item));
                  g_strv_builder_add (builder, text);
                }
            }
        }
      else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        {
          g_autofree char *text = clean_gateway_text (json_node_get_string (value));
          g_strv_builder_add (builder, text);
        }

      g_hash_table_replace (fields, clean_gateway_text (name), g_strv_builder_end (builder));
    }

  if (g_hash_table_size (fields) == 0)
    return NULL;
  return g_steal_pointer (&fields);
}

GError *
pd_gateway_error_new_from_response (guint     http_status,
                                    JsonNode *body,
                                    gint64    retry_after_ms)
{
  PdGatewayError code = pd_gateway_error_code_from_status (http_status);
  const char *gateway_message = NULL;
  const char *gateway_code = NULL;
  gboolean says_failure = FALSE;
  g_autoptr(GHashTable) fields = NULL;
  GError *error;
  PdGatewayErrorPrivate *priv;

  if (body != NULL && JSON_NODE_HOLDS_OBJECT (body))
    {
      JsonObject *object = json_node_get_object (body);
      JsonNode *error_node = json_object_get_member (object, "error");
      JsonNode *success = json_object_get_member (object, "success");
      JsonNode *errors = json_object_get_member (object, "errors");

      if (error_node != NULL && JSON_NODE_HOLDS_OBJECT (error_node))
        {
          JsonObject *error_object = json_node_get_object (error_node);

          gateway_message = object_get_string (error_object, "message");
          gateway_code = object_get_string (error_object, "code");
          says_failure = TRUE;
        }
      else if (error_node != NULL)
        {
          gateway_message = object_get_string (object, "error");
          says_failure = gateway_message != NULL;
        }

      if (gateway_message == NULL)
        gateway_message = object_get_string (object, "message");

      if (success != NULL && JSON_NODE_HOLDS_VALUE (success) &&
          json_node_get_value_type (success) == G_TYPE_BOOLEAN && !json_node_get_boolean (success))
        says_failure = TRUE;

      if (errors != NULL && JSON_NODE_HOLDS_OBJECT (errors))
        fields = parse_fields (json_node_get_object (errors));
    }

  if (code == PD_GATEWAY_ERROR_RATE_LIMITED)
    {
      error = pd_gateway_error_new_rate_limited (retry_after_ms, gateway_message);
      priv = pd_gateway_error_get_private (error);
      priv->gateway_code = clean_gateway_text (gateway_code);
      return error;
    }

  if (!pd_gateway_error_code_from_paysgator (gateway_code, &code))
    {
      if (fields != NULL && code == PD_GATEWAY_ERROR_BAD_REQUEST)
        code = PD_GATEWAY_ERROR_VALIDATION;
      /* A 2xx that says it failed is a refusal, not an unreadable answer. */
      else if (code == PD_GATEWAY_ERROR_BAD_RESPONSE && says_failure &&
               http_status >= 200 && http_status < 300)
        code = PD_GATEWAY_ERROR_BAD_REQUEST;
    }

  error = pd_gateway_error_new (code, NULL);
  priv = pd_gateway_error_get_private (error);
  priv->http_status = http_status;
  priv->gateway_message = clean_gateway_text (gateway_message);
  priv->gateway_code = clean_gateway_text (gateway_code);
  priv->fields = g_steal_pointer (&fields);
  priv->retry_after_ms = retry_after_ms;
  return error;
}

guint
pd_gateway_error_get_http_status (const GError *error)
{
  PdGatewayErrorPrivate *priv = get_private_or_null (error);

  return priv ? priv->http_status : 0;
}

const char *
pd_gateway_error_get_gateway_message (const GError *error)
{
  PdGatewayErrorPrivate *priv = get_private_or_null (error);

  return priv ? priv->gateway_message : NULL;
}

const char *
pd_gateway_error_get_gateway_code (const GError *error)
{
  PdGatewayErrorPrivate *priv = get_private_or_null (error);

  return priv ? priv->gateway_code : NULL;
}

const char *
pd_gateway_error_get_detail (const GError *error)
{
  PdGatewayErrorPrivate *priv = get_private_or_null (error);

  return priv ? priv->detail : NULL;
}

GHashTable *
pd_gateway_error_get_fields (const GError *error)
{
  PdGatewayErrorPrivate *priv = get_private_or_null (error);

  return priv ? priv->fields : NULL;
}

gint64
pd_gateway_error_get_retry_after_ms (const GError *error)
{
  PdGatewayErrorPrivate *priv = get_private_or_null (error);

  return priv ? priv->retry_after_ms : -1;
}

void
pd_gateway_error_set_http_status (GError *error,
                                  guint   http_status)
{
  PdGatewayErrorPrivate *priv = get_private_or_null (error);

  g_return_if_fail (priv != NULL);
  priv->http_status = http_status;
}

void
pd_gateway_error_set_detail (GError     *error,
                             const char *detail)
{
  PdGatewayErrorPrivate *priv = get_private_or_null (error);

  g_return_if_fail (priv != NULL);
  g_free (priv->detail);
  priv->detail = clean_gateway_text (detail);
}

char *
pd_redact_card_numbers (const char *text)
{
  GString *out;
  gsize i = 0;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text));
  while (text[i] != '\0')
    {
      gsize end = i;
      guint digits = 0;

      /* A run glued to letters before it is part of an identifier (a UUID's
       * last group), not a card number. */
      if (!g_ascii_isdigit (text[i]) || (i > 0 && g_ascii_isalnum (text[i - 1])))
        {
          g_string_append_c (out, text[i]);
          i++;
          continue;
        }

      for (gsize j = i; text[j] != '\0'; )
        {
          if (g_ascii_isdigit (text[j]))
            {
              digits++;
              end = ++j;
            }
          else if ((text[j] == ' ' || text[j] == '-') && g_ascii_isdigit (text[j + 1]))
            j++;
          else
            break;
        }

      if (digits >= 13 && digits <= 19)
        g_string_append (out, "[redacted]");
      else
        g_string_append_len (out, text + i, end - i);
      i = end;
    }

  return g_string_free (out, FALSE);
}
