// The OTLP logs protobuf schema: opentelemetry-proto's, written out for protobufjs (otlp-logs-protobuf.ts
// decodes and encodes with it). Every field number is checked against opentelemetry-proto's
// {common,resource,logs}/v1/*.proto and collector/logs/v1/logs_service.proto:
//   AnyValue        oneof { string string_value = 1; bool bool_value = 2; int64 int_value = 3;
//                           double double_value = 4; ArrayValue array_value = 5;
//                           KeyValueList kvlist_value = 6; bytes bytes_value = 7; }
//   ArrayValue      { repeated AnyValue values = 1; }       KeyValueList { repeated KeyValue values = 1; }
//   KeyValue        { string key = 1; AnyValue value = 2; }
//   InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3;
//                          uint32 dropped_attributes_count = 4; }
//   Resource        { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
//                   (entity_refs = 3, in development, is not read)
//   LogRecord       { fixed64 time_unix_nano = 1; SeverityNumber severity_number = 2;
//                     string severity_text = 3; (4 reserved: the old `name`) AnyValue body = 5;
//                     repeated KeyValue attributes = 6; uint32 dropped_attributes_count = 7;
//                     fixed32 flags = 8; bytes trace_id = 9; bytes span_id = 10;
//                     fixed64 observed_time_unix_nano = 11; string event_name = 12; }
//   ScopeLogs       { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; string schema_url = 3; }
//   ResourceLogs    { Resource resource = 1; repeated ScopeLogs scope_logs = 2; string schema_url = 3; }
//                   (1000, the pre-2022 instrumentation_library_logs, is reserved and not read)
//   ExportLogsServiceRequest  { repeated ResourceLogs resource_logs = 1; }
//   ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
//   ExportLogsPartialSuccess  { int64 rejected_log_records = 1; string error_message = 2; }
//   google.rpc.Status         { int32 code = 1; string message = 2; (repeated Any details = 3, never sent) }
// SeverityNumber is declared int32: the same varint on the wire, and an unknown value is kept, not lost.
import protobuf from 'protobufjs';

const root = new protobuf.Root();
protobuf.parse(
  `syntax = "proto3"; package opentelemetry.proto.common.v1;
  message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
    ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; } }
  message ArrayValue { repeated AnyValue values = 1; }
  message KeyValueList { repeated KeyValue values = 1; }
  message KeyValue { string key = 1; AnyValue value = 2; }
  message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }`,
  root,
);
protobuf.parse(
  `syntax = "proto3"; package opentelemetry.proto.resource.v1;
  message Resource { repeated opentelemetry.proto.common.v1.KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }`,
  root,
);
protobuf.parse(
  `syntax = "proto3"; package opentelemetry.proto.logs.v1;
  message LogRecord { fixed64 time_unix_nano = 1; int32 severity_number = 2; string severity_text = 3;
    opentelemetry.proto.common.v1.AnyValue body = 5; repeated opentelemetry.proto.common.v1.KeyValue attributes = 6;
    uint32 dropped_attributes_count = 7; fixed32 flags = 8; bytes trace_id = 9; bytes span_id = 10;
    fixed64 observed_time_unix_nano = 11; string event_name = 12; }
  message ScopeLogs { opentelemetry.proto.common.v1.InstrumentationScope scope = 1; repeated LogRecord log_records = 2; string schema_url = 3; }
  message ResourceLogs { opentelemetry.proto.resource.v1.Resource resource = 1; repeated ScopeLogs scope_logs = 2; string schema_url = 3; }`,
  root,
);
protobuf.parse(
  `syntax = "proto3"; package opentelemetry.proto.collector.logs.v1;
  message ExportLogsServiceRequest { repeated opentelemetry.proto.logs.v1.ResourceLogs resource_logs = 1; }
  message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
  message ExportLogsPartialSuccess { int64 rejected_log_records = 1; string error_message = 2; }`,
  root,
);
protobuf.parse(`syntax = "proto3"; package google.rpc; message Status { int32 code = 1; string message = 2; }`, root);

export const T = {
  anyValue: root.lookupType('opentelemetry.proto.common.v1.AnyValue'),
  arrayValue: root.lookupType('opentelemetry.proto.common.v1.ArrayValue'),
  kvList: root.lookupType('opentelemetry.proto.common.v1.KeyValueList'),
  keyValue: root.lookupType('opentelemetry.proto.common.v1.KeyValue'),
  scope: root.lookupType('opentelemetry.proto.common.v1.InstrumentationScope'),
  resource: root.lookupType('opentelemetry.proto.resource.v1.Resource'),
  logRecord: root.lookupType('opentelemetry.proto.logs.v1.LogRecord'),
  scopeLogs: root.lookupType('opentelemetry.proto.logs.v1.ScopeLogs'),
  resourceLogs: root.lookupType('opentelemetry.proto.logs.v1.ResourceLogs'),
  request: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
  response: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
  status: root.lookupType('google.rpc.Status'),
};
