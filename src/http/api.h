/*
** api.h — each api_*.c keeps its route table next to its handlers and
** registers it here; api_register_all() installs every table once at start.
*/
#ifndef XINQU_API_H
#define XINQU_API_H

void api_register_all(void);
void api_meta_register(void);
void api_session_register(void);
void api_registry_register(void);
void api_cases_register(void);
void api_catalog_register(void);
void api_docs_register(void);
void api_rules_register(void);
void api_bundles_register(void);
void api_invest_register(void);
void api_ladder_register(void);
void api_talent_register(void);
void api_talent_catalogue_register(void);
void api_indicator_register(void);
void api_livelihood_register(void);
void api_board_register(void);
void api_talent_feed_register(void);

#endif
