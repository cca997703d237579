/* pd-account-editor.h: the form that adds or edits an account, with Test Connection */
#pragma once

#include <adwaita.h>

#include "pd-account-store.h"

G_BEGIN_DECLS

#define PD_TYPE_ACCOUNT_EDITOR (pd_account_editor_get_type ())

G_DECLARE_FINAL_TYPE (PdAccountEditor, pd_account_editor, PD, ACCOUNT_EDITOR, GtkWidget)

GtkWidget *pd_account_editor_new         (PdAccountStore  *account_store,
                                          PdAccount       *account);
PdAccount *pd_account_editor_get_account (PdAccountEditor *self);
gboolean   pd_account_editor_get_busy    (PdAccountEditor *self);

G_END_DECLS
