#!/bin/sh
# The realtime / 10 s / 1 min set-up of a DBA team: 1 s points kept 30 days,
# 10 s means for a year, 1 min means for five years, from continuous queries.
# Usage: TSD_DATA=/var/lib/tsd sh setup.sh   (or pass --data DIR to each tool)
set -e
tsd-query -e 'CREATE DATABASE mon WITH DURATION 30d NAME realtime'
tsd-query -e 'CREATE RETENTION POLICY Retention_1y_ds10s ON mon DURATION 365d REPLICATION 1'
tsd-query -e 'CREATE RETENTION POLICY Retention_5y_ds1min ON mon DURATION 1825d REPLICATION 1'

tsd-cq add 'CREATE CONTINUOUS QUERY cq_10s_mysql ON mon BEGIN
  SELECT mean(commands_delete) AS commands_delete, mean(commands_select) AS commands_select
  INTO Retention_1y_ds10s.mysql FROM realtime.mysql GROUP BY time(10s), host, "server"
END'
tsd-cq add 'CREATE CONTINUOUS QUERY cq_1min_mysql ON mon BEGIN
  SELECT mean(commands_delete) AS commands_delete, mean(commands_select) AS commands_select
  INTO Retention_5y_ds1min.mysql FROM realtime.mysql GROUP BY time(1m), host, "server"
END'
tsd-cq list
