# RT_SiteConfig.pm of the RT 5 peer in make bench (tests/bench/rt.mjs): RT
# reads it through RT_SITE_CONFIG instead of /etc/request-tracker5, with
# RT_SITE_CONFIG_DIR an empty directory, so the system's own RT (if any) is
# neither read nor touched. Every path and the port come from the
# environment tests/bench/rt.mjs sets (XQ_RT_*).
Set($rtname, 'bench');
Set($Organization, 'bench.test');
Set($WebDomain, '127.0.0.1');
Set($WebPort, $ENV{XQ_RT_PORT});
Set($WebPath, '');
Set($DatabaseType, 'SQLite');
Set($DatabaseName, $ENV{XQ_RT_DB});
Set($MasonDataDir, "$ENV{XQ_RT_VAR}/mason");
Set($MasonSessionDir, "$ENV{XQ_RT_VAR}/session");
Set($LogToSyslog, undef);
Set($LogToFile, undef);
Set($LogToSTDERR, 'error');
Set($Timezone, 'UTC');
1;
