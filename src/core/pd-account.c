/* pd-account.c: one merchant account at a gateway (everything but its secrets)
 *
 * The API key and secret never live here: PdAccountStore keeps them in the
 * keyring. This object is what the views bind to and what the key file holds.
 */
#define G_LOG_DOMAIN "pd-account"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-account.h"
#include "pd-iso4217.h"

struct _PdAccount
{
  GObject    parent_instance;

  char      *id;
  char      *display_name;
  PdGateway  gateway;
  char      *base_url;
  PdMode     mode;
  guint      rate_limit;
  GStrv      providers;
  gboolean   sandbox;
  char      *return_url;
  char      *cancel_url;
  GStrv      currencies;
};

G_DEFINE_TYPE (PdAccount, pd_account, G_TYPE_OBJECT)

G_DEFINE_QUARK (pd-account-error-quark, pd_account_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_DISPLAY_NAME,
  PROP_GATEWAY,
  PROP_BASE_URL,
  PROP_MODE,
  PROP_RATE_LIMIT,
  PROP_PROVIDERS,
  PROP_SANDBOX,
  PROP_RETURN_URL,
  PROP_CANCEL_URL,
  PROP_CURRENCIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const known_providers[] = {
  PD_ACCOUNT_PROVIDER_CYBERSOURCE,
  PD_ACCOUNT_PROVIDER_MPGS,
  NULL
};

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
set_strv (GStrv              *field,
          const char * const *value)
{
  static const char * const empty[] = { NULL };

  if (value == NULL)
    value = empty;
  if (g_strv_equal ((const char * const *) *field, value))
    return FALSE;
  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
  return TRUE;
}

static void
pd_account_constructed (GObject *object)
{
  PdAccount *self = PD_ACCOUNT (object);

  G_OBJECT_CLASS (pd_account_parent_class)->constructed (object);

  if (self->id == NULL)
    self->id = g_uuid_string_random ();
  if (self->base_url == NULL)
    self->base_url = g_strdup (pd_account_default_base_url (self->gateway));
  if (self->gateway == PD_GATEWAY_PESOGATE && self->providers[0] == NULL)
    set_strv (&self->providers, known_providers);
}

static void
pd_account_finalize (GObject *object)
{
  PdAccount *self = PD_ACCOUNT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->providers, g_strfreev);
  g_clear_pointer (&self->return_url, g_free);
  g_clear_pointer (&self->cancel_url, g_free);
  g_clear_pointer (&self->currencies, g_strfreev);

  G_OBJECT_CLASS (pd_account_parent_class)->finalize (object);
}

static void
pd_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PdAccount *self = PD_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_GATEWAY:
      g_value_set_enum (value, self->gateway);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_RATE_LIMIT:
      g_value_set_uint (value, self->rate_limit);
      break;
    case PROP_PROVIDERS:
      g_value_set_boxed (value, self->providers);
      break;
    case PROP_SANDBOX:
      g_value_set_boolean (value, self->sandbox);
      break;
    case PROP_RETURN_URL:
      g_value_set_string (value, self->return_url);
      break;
    case PROP_CANCEL_URL:
      g_value_set_string (value, self->cancel_url);
      break;
    case PROP_CURRENCIES:
      g_value_set_boxed (value, self->currencies);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PdAccount *self = PD_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_DISPLAY_NAME:
      pd_account_set_display_name (self, g_value_get_string (value));
      break;
    case PROP_GATEWAY:
      pd_account_set_gateway (self, g_value_get_enum (value));
      break;
    case PROP_BASE_URL:
      pd_account_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_MODE:
      pd_account_set_mode (self, g_value_get_enum (value));
      break;
    case PROP_RATE_LIMIT:
      pd_account_set_rate_limit (self, g_value_get_uint (value));
      break;
    case PROP_PROVIDERS:
      pd_account_set_providers (self, g_value_get_boxed (value));
      break;
    case PROP_SANDBOX:
      pd_account_set_sandbox (self, g_value_get_boolean (value));
      break;
    case PROP_RETURN_URL:
      pd_account_set_return_url (self, g_value_get_string (value));
      break;
    case PROP_CANCEL_URL:
      pd_account_set_cancel_url (self, g_value_get_string (value));
      break;
    case PROP_CURRENCIES:
      pd_account_set_currencies (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_account_class_init (PdAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pd_account_constructed;
  object_class->finalize = pd_account_finalize;
  object_class->get_property = pd_account_get_property;
  object_class->set_property = pd_account_set_property;

  /* A UUID; generated when none is given. */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_GATEWAY] =
    g_param_spec_enum ("gateway", NULL, NULL,
                       PD_TYPE_GATEWAY, PD_GATEWAY_PESOGATE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Setting NULL restores the gateway's production address. */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       PD_TYPE_MODE, PD_MODE_LIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Requests per minute the pacer allows. */
  properties[PROP_RATE_LIMIT] =
    g_param_spec_uint ("rate-limit", NULL, NULL,
                       1, PD_ACCOUNT_MAX_RATE_LIMIT, PD_ACCOUNT_DEFAULT_RATE_LIMIT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Enabled PesoGate providers: "cybersource", "mpgs". */
  properties[PROP_PROVIDERS] =
    g_param_spec_boxed ("providers", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* An account of the built-in sandbox: never real money. */
  properties[PROP_SANDBOX] =
    g_param_spec_boolean ("sandbox", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_RETURN_URL] =
    g_param_spec_string ("return-url", NULL, NULL,
                         PD_ACCOUNT_DEFAULT_RETURN_URL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CANCEL_URL] =
    g_param_spec_string ("cancel-url", NULL, NULL,
                         PD_ACCOUNT_DEFAULT_CANCEL_URL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* ISO 4217 codes, the account's usual currency first. */
  properties[PROP_CURRENCIES] =
    g_param_spec_boxed ("currencies", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_account_init (PdAccount *self)
{
  self->rate_limit = PD_ACCOUNT_DEFAULT_RATE_LIMIT;
  self->providers = g_new0 (char *, 1);
  self->currencies = g_new0 (char *, 1);
  self->return_url = g_strdup (PD_ACCOUNT_DEFAULT_RETURN_URL);
  self->cancel_url = g_strdup (PD_ACCOUNT_DEFAULT_CANCEL_URL);
}

/**
 * pd_account_new:
 * @gateway: the gateway the account belongs to
 * @display_name: (nullable): the name the merchant gave it
 *
 * A new account with a fresh id, the gateway's production base URL and,
 * for PesoGate, both providers enabled.
 */
PdAccount *
pd_account_new (PdGateway   gateway,
                const char *display_name)
{
  return g_object_new (PD_TYPE_ACCOUNT,
                       "gateway", gateway,
                       "display-name", display_name,
                       NULL);
}

/**
 * pd_account_copy:
 * @self: an account
 *
 * A copy with the same id, for an edit form to change and then hand to
 * pd_account_store_update_async() without touching the saved account.
 */
PdAccount *
pd_account_copy (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);

  return g_object_new (PD_TYPE_ACCOUNT,
                       "id", self->id,
                       "gateway", self->gateway,
                       "display-name", self->display_name,
                       "base-url", self->base_url,
                       "mode", self->mode,
                       "rate-limit", self->rate_limit,
                       "providers", self->providers,
                       "sandbox", self->sandbox,
                       "return-url", self->return_url,
                       "cancel-url", self->cancel_url,
                       "currencies", self->currencies,
                       NULL);
}

const char *
pd_account_get_id (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);

  return self->id;
}

const char *
pd_account_get_display_name (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);

  return self->display_name;
}

void
pd_account_set_display_name (PdAccount  *self,
                             const char *display_name)
{
  g_return_if_fail (PD_IS_ACCOUNT (self));

  if (set_string (&self->display_name, display_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

PdGateway
pd_account_get_gateway (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), PD_GATEWAY_PESOGATE);

  return self->gateway;
}

void
pd_account_set_gateway (PdAccount *self,
                        PdGateway  gateway)
{
  PdGateway old;

  g_return_if_fail (PD_IS_ACCOUNT (self));

  if (self->gateway == gateway)
    return;

  old = self->gateway;
  self->gateway = gateway;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GATEWAY]);

  /* A base URL the merchant never changed follows the gateway. */
  if (g_strcmp0 (self->base_url, pd_account_default_base_url (old)) == 0)
    pd_account_set_base_url (self, NULL);
}

const char *
pd_account_get_base_url (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);

  return self->base_url;
}

void
pd_account_set_base_url (PdAccount  *self,
                         const char *base_url)
{
  g_return_if_fail (PD_IS_ACCOUNT (self));

  if (base_url == NULL)
    base_url = pd_account_default_base_url (self->gateway);
  if (set_string (&self->base_url, base_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

PdMode
pd_account_get_mode (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), PD_MODE_LIVE);

  return self->mode;
}

void
pd_account_set_mode (PdAccount *self,
                     PdMode     mode)
{
  g_return_if_fail (PD_IS_ACCOUNT (self));

  if (self->mode == mode)
    return;
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

guint
pd_account_get_rate_limit (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), PD_ACCOUNT_DEFAULT_RATE_LIMIT);

  return self->rate_limit;
}

void
pd_account_set_rate_limit (PdAccount *self,
                           guint      rate_limit)
{
  g_return_if_fail (PD_IS_ACCOUNT (self));
  g_return_if_fail (rate_limit > 0 && rate_limit <= PD_ACCOUNT_MAX_RATE_LIMIT);

  if (self->rate_limit == rate_limit)
    return;
  self->rate_limit = rate_limit;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT]);
}

/**
 * pd_account_get_providers:
 * @self: an account
 *
 * Returns: (transfer none): the enabled PesoGate providers, never %NULL
 */
const char * const *
pd_account_get_providers (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);

  return (const char * const *) self->providers;
}

void
pd_account_set_providers (PdAccount          *self,
                          const char * const *providers)
{
  g_return_if_fail (PD_IS_ACCOUNT (self));

  if (set_strv (&self->providers, providers))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDERS]);
}

gboolean
pd_account_has_provider (PdAccount  *self,
                         const char *provider)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (provider != NULL, FALSE);

  return g_strv_contains ((const char * const *) self->providers, provider);
}

gboolean
pd_account_get_sandbox (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), FALSE);

  return self->sandbox;
}

void
pd_account_set_sandbox (PdAccount *self,
                        gboolean   sandbox)
{
  g_return_if_fail (PD_IS_ACCOUNT (self));

  sandbox = !!sandbox;
  if (self->sandbox == sandbox)
    return;
  self->sandbox = sandbox;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SANDBOX]);
}

const char *
pd_account_get_return_url (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);

  return self->return_url;
}

void
pd_account_set_return_url (PdAccount  *self,
                           const char *return_url)
{
  g_return_if_fail (PD_IS_ACCOUNT (self));

  if (set_string (&self->return_url, return_url ? return_url : PD_ACCOUNT_DEFAULT_RETURN_URL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETURN_URL]);
}

const char *
pd_account_get_cancel_url (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);

  return self->cancel_url;
}

void
pd_account_set_cancel_url (PdAccount  *self,
                           const char *cancel_url)
{
  g_return_if_fail (PD_IS_ACCOUNT (self));

  if (set_string (&self->cancel_url, cancel_url ? cancel_url : PD_ACCOUNT_DEFAULT_CANCEL_URL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANCEL_URL]);
}

/**
 * pd_account_get_currencies:
 * @self: an account
 *
 * Returns: (transfer none): ISO 4217 codes, the usual one first; never %NULL
 */
const char * const *
pd_account_get_currencies (PdAccount *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT (self), NULL);

  return (const char * const *) self->currencies;
}

void
pd_account_set_currencies (PdAccount          *self,
                           const char * const *currencies)
{
  g_return_if_fail (PD_IS_ACCOUNT (self));

  if (set_strv (&self->currencies, currencies))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCIES]);
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID, message);
  return FALSE;
}

/* An absolute http(s) URL with a host, or NULL. */
static GUri *
parse_web_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL)
    return NULL;
  /* GUri lets a space through in the host; no web address has one. */
  for (const char *p = url; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return NULL;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (!g_str_equal (scheme, "https") && !g_str_equal (scheme, "http"))
    return NULL;
  if (host == NULL || *host == '\0')
    return NULL;
  return g_steal_pointer (&uri);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * pd_account_default_base_url:
 * @gateway: a gateway
 *
 * Returns: the production base URL from the gateway's spec
 */
const char *
pd_account_default_base_url (PdGateway gateway)
{
  switch (gateway)
    {
    case PD_GATEWAY_PESOGATE:
      return "https://gateway.pesogate.com/api/v1";
    case PD_GATEWAY_PAYSGATOR:
      return "https://paysgator.com/api/v1";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pd_account_validate_base_url:
 * @base_url: (nullable): what the merchant typed
 * @error: return location for a %PD_ACCOUNT_ERROR_INVALID error
 *
 * A base URL must be an absolute https:// URL without user name, password,
 * query or fragment. Plain http:// is accepted only for a loopback host
 * (127.0.0.0/8, ::1, localhost), which is where the sandbox runs: anywhere
 * else it would send the API keys in clear text.
 */
gboolean
pd_account_validate_base_url (const char  *base_url,
                              GError     **error)
{
  g_autoptr(GUri) uri = NULL;

  if (base_url == NULL || *base_url == '\0')
    return invalid (error, _("Enter the gateway’s address, for example https://paysgator.com/api/v1."));

  uri = parse_web_url (base_url);
  if (uri == NULL)
    return invalid (error, _("The gateway address is not a web address. Enter a full address that starts with https://."));

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return invalid (error, _("The gateway address must not contain a user name, password, “?” or “#”. Enter the address from the gateway’s documentation."));

  if (g_str_equal (g_uri_get_scheme (uri), "http") && !host_is_loopback (g_uri_get_host (uri)))
    return invalid (error, _("The gateway address uses http://, which would send your API keys unencrypted. Use an https:// address."));

  return TRUE;
}

/**
 * pd_account_mode_from_paysgator_key:
 * @api_key: (nullable): a PaysGator API key
 * @mode: (out): LIVE for a `live_` key, TEST for a `test_` key
 *
 * Returns: %FALSE if the key has neither prefix; @mode is then untouched
 */
gboolean
pd_account_mode_from_paysgator_key (const char *api_key,
                                    PdMode     *mode)
{
  g_return_val_if_fail (mode != NULL, FALSE);

  if (api_key == NULL)
    return FALSE;
  if (g_ascii_strncasecmp (api_key, "live_", 5) == 0)
    *mode = PD_MODE_LIVE;
  else if (g_ascii_strncasecmp (api_key, "test_", 5) == 0)
    *mode = PD_MODE_TEST;
  else
    return FALSE;
  return TRUE;
}

/**
 * pd_account_validate:
 * @self: an account
 * @error: return location for a %PD_ACCOUNT_ERROR_INVALID error
 *
 * Checks what the store would refuse to save: an empty name, a base URL
 * pd_account_validate_base_url() refuses, bad 3-D Secure return addresses,
 * a PesoGate account without a known provider, an unknown currency code.
 */
gboolean
pd_account_validate (PdAccount  *self,
                     GError    **error)
{
  g_autofree char *name = NULL;
  g_autoptr(GUri) return_uri = NULL;
  g_autoptr(GUri) cancel_uri = NULL;

  g_return_val_if_fail (PD_IS_ACCOUNT (self), FALSE);

  name = g_strstrip (g_strdup (self->display_name ? self->display_name : ""));
  if (*name == '\0')
    return invalid (error, _("Enter a name for the account, for example the name of your shop."));

  if (!pd_account_validate_base_url (self->base_url, error))
    return FALSE;

  return_uri = parse_web_url (self->return_url);
  cancel_uri = parse_web_url (self->cancel_url);
  if (return_uri == NULL || cancel_uri == NULL)
    return invalid (error, _("The 3-D Secure return and cancel addresses must be full web addresses. Leave them empty to use Paydesk’s own."));

  for (guint i = 0; self->providers[i] != NULL; i++)
    if (!g_strv_contains (known_providers, self->providers[i]))
      {
        g_set_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID,
                     _("“%s” is not a PesoGate card provider. Choose CyberSource or MPGS."),
                     self->providers[i]);
        return FALSE;
      }
  if (self->gateway == PD_GATEWAY_PESOGATE && self->providers[0] == NULL)
    return invalid (error, _("Choose at least one card provider for PesoGate: CyberSource or MPGS."));

  for (guint i = 0; self->currencies[i] != NULL; i++)
    if (pd_iso4217_lookup (self->currencies[i]) == NULL)
      {
        g_set_error (error, PD_ACCOUNT_ERROR, PD_ACCOUNT_ERROR_INVALID,
                     _("“%s” is not a currency code. Use three-letter ISO 4217 codes such as MZN, KES or USD."),
                     self->currencies[i]);
        return FALSE;
      }

  return TRUE;
}
