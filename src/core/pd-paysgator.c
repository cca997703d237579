#define G_LOG_DOMAIN "pd-paysgator"

#include "config.h"

#include <string.h>

#include "pd-error.h"
#include "pd-paysgator.h"
#include "pd-paysgator-private.h"

struct _PdPaysgator
{
  GObject  parent_instance;

  PdHttp  *http;
};

G_DEFINE_FINAL_TYPE (PdPaysgator, pd_paysgator, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PdSubscriptionAction, pd_subscription_action,
  G_DEFINE_ENUM_VALUE (PD_SUBSCRIPTION_ACTION_CANCEL, "cancel"),
  G_DEFINE_ENUM_VALUE (PD_SUBSCRIPTION_ACTION_PAUSE, "pause"),
  G_DEFINE_ENUM_VALUE (PD_SUBSCRIPTION_ACTION_RESUME, "resume"))

enum {
  PROP_0,
  PROP_HTTP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Writing requests */

/* A JSON string literal; text that is not UTF-8 is repaired first, so the
 * body is always valid JSON. */
static void
append_json_string (GString    *json,
                    const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  g_string_append_c (json, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (json, '\\');
          g_string_append_c (json, (char) c);
        }
      else if (c == '\n')
        g_string_append (json, "\\n");
      else if (c == '\r')
        g_string_append (json, "\\r");
      else if (c == '\t')
        g_string_append (json, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (json, "\\u%04x", c);
      else
        g_string_append_c (json, (char) c);
    }
  g_string_append_c (json, '"');
}

/* Starts a member: the separator when the object has one already. */
static void
append_name (GString    *json,
             const char *name)
{
  if (json->str[json->len - 1] != '{')
    g_string_append_c (json, ',');
  append_json_string (json, name);
  g_string_append_c (json, ':');
}

static void
append_string_member (GString    *json,
                      const char *name,
                      const char *value)
{
  if (value == NULL)
    return;
  append_name (json, name);
  append_json_string (json, value);
}

static void
append_strv_member (GString            *json,
                    const char         *name,
                    const char * const *values)
{
  if (values == NULL)
    return;
  append_name (json, name);
  g_string_append_c (json, '[');
  for (guint i = 0; values[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      append_json_string (json, values[i]);
    }
  g_string_append_c (json, ']');
}

static void
append_object_member (GString    *json,
                      const char *name,
                      JsonObject *object)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (object == NULL)
    return;
  node = json_node_init_object (json_node_alloc (), object);
  text = json_to_string (node, FALSE);
  append_name (json, name);
  g_string_append (json, text);
}

/* @text as one path segment: everything but letters, digits, '-', '_' and
 * '~' escaped, so "..", "/" or "?" in an id cannot reach another endpoint. */
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

static void
append_query (GString    *path,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || value[0] == '\0')
    return;
  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_printf (path, "%c%s=%s", strchr (path->str, '?') != NULL ? '&' : '?', name, escaped);
}

/* Calls */

typedef enum
{
  CALL_CREATE_PAYMENT,
  CALL_CONFIRM_PAYMENT,
  CALL_WALLET_BALANCE,
  CALL_GET_TRANSACTION,
  CALL_CREATE_SUBSCRIPTION,
  CALL_GET_SUBSCRIPTION,
  CALL_LIST_SUBSCRIPTIONS,
  CALL_UPDATE_SUBSCRIPTION,
  CALL_CHECK_CREDENTIALS,
} CallKind;

/* What a call must remember to complete its answer. */
typedef struct
{
  CallKind  kind;
  PdMoney   amount;
  GStrv     payment_methods;
  char     *external_id;
  char     *currency;
  char     *plan_id;
  char     *customer_email;
  char     *customer_name;
} Call;

static void
call_free (Call *call)
{
  g_strfreev (call->payment_methods);
  g_free (call->external_id);
  g_free (call->currency);
  g_free (call->plan_id);
  g_free (call->customer_email);
  g_free (call->customer_name);
  g_free (call);
}

static void
complete_payment_link (PdPaymentLink *link,
                       Call          *call)
{
  pd_payment_link_set_amount (link, call->amount.minor);
  pd_payment_link_set_currency (link, call->amount.currency);
  pd_payment_link_set_payment_methods (link, (const char * const *) call->payment_methods);
  pd_payment_link_set_external_id (link, call->external_id);
  /* Nobody has paid a link that was just made. */
  pd_payment_link_set_status (link, PD_STATUS_PENDING);
  pd_payment_link_set_created_at (link, g_get_real_time () / G_USEC_PER_SEC);
}

/* Creating answers with the id, link and status: the rest is what was sent. */
static void
complete_subscription (PdSubscription *subscription,
                       Call           *call)
{
  if (pd_subscription_get_plan_id (subscription) == NULL)
    pd_subscription_set_plan_id (subscription, call->plan_id);
  if (pd_subscription_get_customer_email (subscription) == NULL)
    pd_subscription_set_customer_email (subscription, call->customer_email);
  if (pd_subscription_get_customer_name (subscription) == NULL)
    pd_subscription_set_customer_name (subscription, call->customer_name);
}

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(PdHttpResponse) response = NULL;
  GError *error = NULL;
  gpointer value = NULL;
  GDestroyNotify destroy = g_object_unref;

  response = pd_http_request_finish (PD_HTTP (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  switch (call->kind)
    {
    case CALL_CREATE_PAYMENT:
      if ((value = pd_paysgator_parse_payment_link (response->body, &error)) != NULL)
        complete_payment_link (value, call);
      break;
    case CALL_CONFIRM_PAYMENT:
      value = pd_paysgator_parse_confirmation (response->body, call->currency, &error);
      destroy = (GDestroyNotify) pd_payment_confirmation_free;
      break;
    case CALL_WALLET_BALANCE:
    case CALL_CHECK_CREDENTIALS:
      value = pd_paysgator_parse_wallet (response->body, &error);
      break;
    case CALL_GET_TRANSACTION:
      value = pd_paysgator_parse_transaction (response->body, &error);
      break;
    case CALL_CREATE_SUBSCRIPTION:
      if ((value = pd_paysgator_parse_subscription (response->body, &error)) != NULL)
        complete_subscription (value, call);
      break;
    case CALL_GET_SUBSCRIPTION:
    case CALL_UPDATE_SUBSCRIPTION:
      value = pd_paysgator_parse_subscription (response->body, &error);
      break;
    case CALL_LIST_SUBSCRIPTIONS:
      value = pd_paysgator_parse_subscription_list (response->body, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (value == NULL)
    g_task_return_error (task, error);
  else if (call->kind == CALL_CHECK_CREDENTIALS)
    {
      g_object_unref (value);
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_pointer (task, value, destroy);
}

/* Sends one request for @call; @body is JSON or NULL. */
static void
send_call (PdPaysgator         *self,
           Call                *call,
           gpointer             source_tag,
           const char          *method,
           const char          *path,
           const char          *body,
           PdHttpFlags          flags,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  /* Only GETs are ever repeated: nothing here is safe to send twice. */
  pd_http_request_async (self->http, method, path, body, flags & PD_HTTP_FLAGS_BACKGROUND,
                         cancellable, on_answer, task);
}

static Call *
call_new (CallKind kind)
{
  Call *call = g_new0 (Call, 1);

  call->kind = kind;
  return call;
}

static gpointer
finish_call (PdPaysgator   *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             GError       **error)
{
  g_return_val_if_fail (PD_IS_PAYSGATOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pd_paysgator_create_payment_async (PdPaysgator         *self,
                                   const PdMoney       *amount,
                                   const char * const  *payment_methods,
                                   const char          *return_url,
                                   const char * const  *fields,
                                   const char          *external_id,
                                   JsonObject          *metadata,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GString) body = g_string_new ("{");
  Call *call;

  g_return_if_fail (PD_IS_PAYSGATOR (self));
  g_return_if_fail (amount != NULL && pd_money_currency_is_known (amount->currency));

  append_name (body, "amount");
  pd_money_append_json (body, amount);
  append_string_member (body, "currency", amount->currency);
  append_strv_member (body, "payment_methods", payment_methods);
  append_string_member (body, "returnUrl", return_url);
  append_strv_member (body, "fields", fields);
  append_string_member (body, "externalTransactionId", external_id);
  append_object_member (body, "metadata", metadata);
  g_string_append_c (body, '}');

  call = call_new (CALL_CREATE_PAYMENT);
  call->amount = *amount;
  call->payment_methods = g_strdupv ((char **) payment_methods);
  call->external_id = g_strdup (external_id);
  send_call (self, call, pd_paysgator_create_payment_async, "POST", "/payment/create", body->str,
             PD_HTTP_FLAGS_NONE, cancellable, callback, user_data);
}

PdPaymentLink *
pd_paysgator_create_payment_finish (PdPaysgator   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_call (self, result, pd_paysgator_create_payment_async, error);
}

void
pd_paysgator_confirm_payment_async (PdPaysgator         *self,
                                    const char          *payment_link_id,
                                    const char          *payment_method,
                                    JsonObject          *payment_fields,
                                    JsonObject          *customer,
                                    const char          *currency,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GString) body = g_string_new ("{");
  Call *call;

  g_return_if_fail (PD_IS_PAYSGATOR (self));
  g_return_if_fail (payment_link_id != NULL);
  g_return_if_fail (payment_method != NULL);
  g_return_if_fail (pd_money_currency_is_known (currency));

  append_string_member (body, "paymentLinkId", payment_link_id);
  append_string_member (body, "paymentMethod", payment_method);
  append_object_member (body, "payment_fields", payment_fields);
  append_object_member (body, "customer", customer);
  g_string_append_c (body, '}');

  call = call_new (CALL_CONFIRM_PAYMENT);
  call->currency = g_strdup (currency);
  send_call (self, call, pd_paysgator_confirm_payment_async, "POST", "/payment/confirm", body->str,
             PD_HTTP_FLAGS_NONE, cancellable, callback, user_data);
}

PdPaymentConfirmation *
pd_paysgator_confirm_payment_finish (PdPaysgator   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_call (self, result, pd_paysgator_confirm_payment_async, error);
}

void
pd_paysgator_wallet_balance_async (PdPaysgator         *self,
                                   PdHttpFlags          flags,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (PD_IS_PAYSGATOR (self));

  send_call (self, call_new (CALL_WALLET_BALANCE), pd_paysgator_wallet_balance_async,
             "GET", "/wallet/balance", NULL, flags, cancellable, callback, user_data);
}

PdWallet *
pd_paysgator_wallet_balance_finish (PdPaysgator   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_call (self, result, pd_paysgator_wallet_balance_async, error);
}

void
pd_paysgator_get_transaction_async (PdPaysgator         *self,
                                    const char          *id,
                                    PdHttpFlags          flags,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *segment = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (PD_IS_PAYSGATOR (self));
  g_return_if_fail (id != NULL && id[0] != '\0');

  segment = escape_segment (id);
  path = g_strconcat ("/transactions/", segment, NULL);
  send_call (self, call_new (CALL_GET_TRANSACTION), pd_paysgator_get_transaction_async,
             "GET", path, NULL, flags, cancellable, callback, user_data);
}

PdTransaction *
pd_paysgator_get_transaction_finish (PdPaysgator   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_call (self, result, pd_paysgator_get_transaction_async, error);
}

void
pd_paysgator_create_subscription_async (PdPaysgator         *self,
                                        const char          *plan_id,
                                        const char          *customer_email,
                                        const char          *customer_name,
                                        JsonObject          *metadata,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GString) body = g_string_new ("{");
  Call *call;

  g_return_if_fail (PD_IS_PAYSGATOR (self));
  g_return_if_fail (plan_id != NULL);
  g_return_if_fail (customer_email != NULL);

  append_string_member (body, "planId", plan_id);
  append_string_member (body, "customerEmail", customer_email);
  append_string_member (body, "customerName", customer_name);
  append_object_member (body, "metadata", metadata);
  g_string_append_c (body, '}');

  call = call_new (CALL_CREATE_SUBSCRIPTION);
  call->plan_id = g_strdup (plan_id);
  call->customer_email = g_strdup (customer_email);
  call->customer_name = g_strdup (customer_name);
  send_call (self, call, pd_paysgator_create_subscription_async, "POST", "/subscription/create", body->str,
             PD_HTTP_FLAGS_NONE, cancellable, callback, user_data);
}

PdSubscription *
pd_paysgator_create_subscription_finish (PdPaysgator   *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return finish_call (self, result, pd_paysgator_create_subscription_async, error);
}

void
pd_paysgator_get_subscription_async (PdPaysgator         *self,
                                     const char          *id,
                                     PdHttpFlags          flags,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *segment = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (PD_IS_PAYSGATOR (self));
  g_return_if_fail (id != NULL && id[0] != '\0');

  segment = escape_segment (id);
  path = g_strconcat ("/subscription/", segment, NULL);
  send_call (self, call_new (CALL_GET_SUBSCRIPTION), pd_paysgator_get_subscription_async,
             "GET", path, NULL, flags, cancellable, callback, user_data);
}

PdSubscription *
pd_paysgator_get_subscription_finish (PdPaysgator   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_call (self, result, pd_paysgator_get_subscription_async, error);
}

/* The spec's spelling of a status in a filter. */
static const char *
subscription_status_filter (PdSubscriptionStatus status)
{
  switch (status)
    {
    case PD_SUBSCRIPTION_STATUS_ACTIVE:
      return "ACTIVE";
    case PD_SUBSCRIPTION_STATUS_PAUSED:
      return "PAUSED";
    case PD_SUBSCRIPTION_STATUS_PAST_DUE:
      return "PAST_DUE";
    case PD_SUBSCRIPTION_STATUS_CANCELED:
      return "CANCELED";
    case PD_SUBSCRIPTION_STATUS_UNKNOWN:
    default:
      return NULL;
    }
}

void
pd_paysgator_list_subscriptions_async (PdPaysgator          *self,
                                       const char           *customer_email,
                                       PdSubscriptionStatus  status,
                                       const char           *plan_id,
                                       PdHttpFlags           flags,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data)
{
  g_autoptr(GString) path = g_string_new ("/subscriptions");

  g_return_if_fail (PD_IS_PAYSGATOR (self));

  append_query (path, "customerEmail", customer_email);
  append_query (path, "status", subscription_status_filter (status));
  append_query (path, "planId", plan_id);
  send_call (self, call_new (CALL_LIST_SUBSCRIPTIONS), pd_paysgator_list_subscriptions_async,
             "GET", path->str, NULL, flags, cancellable, callback, user_data);
}

GListModel *
pd_paysgator_list_subscriptions_finish (PdPaysgator   *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return finish_call (self, result, pd_paysgator_list_subscriptions_async, error);
}

void
pd_paysgator_update_subscription_async (PdPaysgator          *self,
                                        const char           *id,
                                        PdSubscriptionAction  action,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data)
{
  g_autoptr(GEnumClass) actions = g_type_class_ref (PD_TYPE_SUBSCRIPTION_ACTION);
  GEnumValue *value = g_enum_get_value (actions, action);
  g_autoptr(GString) body = g_string_new ("{");
  g_autofree char *segment = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (PD_IS_PAYSGATOR (self));
  g_return_if_fail (id != NULL && id[0] != '\0');
  g_return_if_fail (value != NULL);

  append_string_member (body, "action", value->value_nick);
  g_string_append_c (body, '}');
  segment = escape_segment (id);
  path = g_strconcat ("/subscriptions/", segment, NULL);
  send_call (self, call_new (CALL_UPDATE_SUBSCRIPTION), pd_paysgator_update_subscription_async,
             "PATCH", path, body->str, PD_HTTP_FLAGS_NONE, cancellable, callback, user_data);
}

PdSubscription *
pd_paysgator_update_subscription_finish (PdPaysgator   *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return finish_call (self, result, pd_paysgator_update_subscription_async, error);
}

void
pd_paysgator_check_credentials_async (PdPaysgator         *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (PD_IS_PAYSGATOR (self));

  send_call (self, call_new (CALL_CHECK_CREDENTIALS), pd_paysgator_check_credentials_async,
             "GET", "/wallet/balance", NULL, PD_HTTP_FLAGS_NONE, cancellable, callback, user_data);
}

gboolean
pd_paysgator_check_credentials_finish (PdPaysgator   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (PD_IS_PAYSGATOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_paysgator_check_credentials_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The object */

PdPaysgator *
pd_paysgator_new (const char  *base_url,
                  const char  *api_key,
                  PdPacer     *pacer,
                  GError     **error)
{
  g_autoptr(PdHttp) http = NULL;

  g_return_val_if_fail (api_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  http = pd_http_new (base_url, pacer, error);
  if (http == NULL)
    return NULL;
  pd_http_set_credentials (http, api_key, NULL);

  return g_object_new (PD_TYPE_PAYSGATOR, "http", http, NULL);
}

PdHttp *
pd_paysgator_get_http (PdPaysgator *self)
{
  g_return_val_if_fail (PD_IS_PAYSGATOR (self), NULL);

  return self->http;
}

static void
pd_paysgator_dispose (GObject *object)
{
  PdPaysgator *self = PD_PAYSGATOR (object);

  g_clear_object (&self->http);

  G_OBJECT_CLASS (pd_paysgator_parent_class)->dispose (object);
}

static void
pd_paysgator_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PdPaysgator *self = PD_PAYSGATOR (object);

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
pd_paysgator_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PdPaysgator *self = PD_PAYSGATOR (object);

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
pd_paysgator_class_init (PdPaysgatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_paysgator_dispose;
  object_class->get_property = pd_paysgator_get_property;
  object_class->set_property = pd_paysgator_set_property;

  /**
   * PdPaysgator:http:
   *
   * The account's connection, with the key already set.
   */
  properties[PROP_HTTP] =
    g_param_spec_object ("http", NULL, NULL,
                         PD_TYPE_HTTP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_paysgator_init (PdPaysgator *self)
{
}
