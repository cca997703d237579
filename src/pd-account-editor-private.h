/* pd-account-editor-private.h: what the parts of PdAccountEditor share */
#pragma once

#include <adwaita.h>

#include "pd-account-editor.h"

G_BEGIN_DECLS

typedef enum
{
  FIELD_NAME,
  FIELD_BASE_URL,
  FIELD_CURRENCIES,
  FIELD_API_KEY,
  FIELD_API_SECRET,
  FIELD_PROVIDERS,
  FIELD_RETURN_URL,
  FIELD_CANCEL_URL,
  N_FIELDS
} Field;

typedef enum
{
  STATUS_NONE,
  STATUS_SUCCESS,
  STATUS_FAILURE,
} Status;

typedef enum
{
  PURPOSE_TEST,
  PURPOSE_SAVE,
} Purpose;

struct _PdAccountEditor
{
  GtkWidget            parent_instance;

  AdwWindowTitle      *window_title;
  GtkSpinner          *save_spinner;
  AdwEntryRow         *name_row;
  AdwActionRow        *name_message;
  AdwComboRow         *gateway_row;
  AdwEntryRow         *base_url_row;
  AdwActionRow        *base_url_message;
  AdwEntryRow         *currencies_row;
  AdwActionRow        *currencies_message;
  AdwPreferencesGroup *keys_group;
  AdwEntryRow         *api_key_row;
  AdwActionRow        *api_key_message;
  AdwEntryRow         *api_secret_row;
  AdwActionRow        *api_secret_message;
  AdwActionRow        *mode_row;
  GtkWidget           *mode_icon;
  GtkLabel            *mode_label;
  GtkWidget           *providers_group;
  GtkCheckButton      *cybersource_check;
  GtkCheckButton      *mpgs_check;
  AdwActionRow        *providers_message;
  AdwExpanderRow      *advanced_row;
  AdwEntryRow         *return_url_row;
  AdwActionRow        *return_url_message;
  AdwEntryRow         *cancel_url_row;
  AdwActionRow        *cancel_url_message;
  AdwActionRow        *test_row;
  GtkImage            *test_icon;
  GtkSpinner          *test_spinner;

  PdAccountStore      *account_store;
  PdAccount           *account;           /* the saved account being edited; NULL when adding */
  GCancellable        *cancellable;       /* connection tests; cancelled when the page closes */
  PdAccount           *saving;            /* what a running save hands to the store */
  guint                test_generation;   /* changes with the gateway, address or keys */
  guint                touched;           /* bits of Field the user changed */
  gboolean             show_all_problems; /* after an attempt to save */
  gboolean             filling;
  gboolean             testing;
  gboolean             valid;
};

/* pd-account-editor.c */
void              pd_account_editor_set_busy                   (PdAccountEditor  *self,
                                                                gboolean          testing,
                                                                PdAccount        *saving);
void              pd_account_editor_run_save                   (PdAccountEditor  *self,
                                                                PdAccountSecrets *secrets);
void              pd_account_editor_save_failed                (PdAccountEditor  *self,
                                                                const GError     *error);

/* pd-account-editor-validation.c */
PdGateway         pd_account_editor_get_gateway                (PdAccountEditor  *self);
char             *pd_account_editor_dup_stripped               (AdwEntryRow      *row);
gboolean          pd_account_editor_is_blank                   (AdwEntryRow      *row);
PdAccount        *pd_account_editor_build_account              (PdAccountEditor  *self);
PdAccountSecrets *pd_account_editor_typed_secrets              (PdAccountEditor  *self);
GtkWidget        *pd_account_editor_field_input                (PdAccountEditor  *self,
                                                                Field             field);
gboolean          pd_account_editor_is_busy                    (PdAccountEditor  *self);
gboolean          pd_account_editor_can_test                   (PdAccountEditor  *self);
void              pd_account_editor_update_actions             (PdAccountEditor  *self);
void              pd_account_editor_update_state               (PdAccountEditor  *self);
void              pd_account_editor_focus_first_problem        (PdAccountEditor  *self);

/* pd-account-editor-connection.c */
void              pd_account_editor_set_test_status            (PdAccountEditor  *self,
                                                                Status            status,
                                                                const char       *text);
void              pd_account_editor_connection_details_changed (PdAccountEditor  *self);
void              pd_account_editor_with_secrets               (PdAccountEditor  *self,
                                                                Purpose           purpose);
void              pd_account_editor_test_connection_action     (GtkWidget        *widget,
                                                                const char       *action_name,
                                                                GVariant         *parameter);

G_END_DECLS
