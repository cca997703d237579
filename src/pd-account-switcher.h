/* pd-account-switcher.h: the header's menu of accounts */
#pragma once

#include <gtk/gtk.h>

#include "pd-account.h"

G_BEGIN_DECLS

#define PD_TYPE_ACCOUNT_SWITCHER (pd_account_switcher_get_type ())

G_DECLARE_FINAL_TYPE (PdAccountSwitcher, pd_account_switcher, PD, ACCOUNT_SWITCHER, GtkWidget)

GtkWidget  *pd_account_switcher_new          (void);
GListModel *pd_account_switcher_get_accounts (PdAccountSwitcher *self);
void        pd_account_switcher_set_accounts (PdAccountSwitcher *self,
                                              GListModel        *accounts);
PdAccount  *pd_account_switcher_get_account  (PdAccountSwitcher *self);
void        pd_account_switcher_set_account  (PdAccountSwitcher *self,
                                              PdAccount         *account);

G_END_DECLS
