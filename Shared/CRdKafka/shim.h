// The C surface of librdkafka that CityKafka uses: the client API and the mock cluster
// (rdkafka_mock.h) that the Kafka dev cluster runs. Debian's librdkafka-dev provides both.
#ifndef CITYDATA_CRDKAFKA_SHIM_H
#define CITYDATA_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#endif
