/* pd-wallet.h: a PaysGator wallet's balance as last fetched */
#pragma once

#include <glib-object.h>

#include "pd-enums.h"

G_BEGIN_DECLS

#define PD_TYPE_WALLET (pd_wallet_get_type ())
G_DECLARE_FINAL_TYPE (PdWallet, pd_wallet, PD, WALLET, GObject)

PdWallet   *pd_wallet_new            (void);
PdWallet   *pd_wallet_copy           (PdWallet *self);
const char *pd_wallet_get_wallet_id  (PdWallet *self);
void        pd_wallet_set_wallet_id  (PdWallet   *self,
                                      const char *wallet_id);
const char *pd_wallet_get_currency   (PdWallet *self);
void        pd_wallet_set_currency   (PdWallet   *self,
                                      const char *currency);
gint64      pd_wallet_get_balance    (PdWallet *self);
void        pd_wallet_set_balance    (PdWallet *self,
                                      gint64    balance);
PdMode      pd_wallet_get_mode       (PdWallet *self);
void        pd_wallet_set_mode       (PdWallet *self,
                                      PdMode    mode);
gint64      pd_wallet_get_fetched_at (PdWallet *self);
void        pd_wallet_set_fetched_at (PdWallet *self,
                                      gint64    fetched_at);

G_END_DECLS
