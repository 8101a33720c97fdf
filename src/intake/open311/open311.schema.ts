/**
 * OpenAPI documentation of the Open311 routes. These schemas document; they do not validate: the Open311 scope
 * turns schema validation off so that every refusal is written by the handlers in the spec's own error format
 * (a Fastify validation error would name JSON paths and use the core API's error shape).
 */
import { Type } from 'typebox';

const S = (description: string) => Type.Optional(Type.String({ description }));

export const FormatParam = Type.Object({
  format: Type.String({ description: 'Response format: `json` or `xml` (XML is the format GeoReport v2 requires; both are served)' }),
});

export const ServiceCodeParams = Type.Object({
  service_code: Type.String({ description: 'Service code = 5-digit matter code of the catalogue (GB/T 47678.5)' }),
  format: FormatParam.properties.format,
});

export const RequestIdParams = Type.Object({
  service_request_id: Type.String({ description: 'Service request id = the case number (案件编号)' }),
  format: FormatParam.properties.format,
});

export const JurisdictionQuery = Type.Object({
  jurisdiction_id: S('Accepted and ignored: this endpoint serves one city'),
});

export const RequestsQuery = Type.Object({
  jurisdiction_id: S('Accepted and ignored: this endpoint serves one city'),
  service_request_id: S('Comma-separated case numbers; overrides every other filter'),
  service_code: S('Comma-separated service codes; default all'),
  start_date: S('W3C datetime with zone (e.g. 2026-11-01T00:00:00+08:00): earliest requested_datetime, inclusive, compared at whole seconds as shown; default 90 days before end_date or now'),
  end_date: S('W3C datetime with zone: latest requested_datetime, inclusive to the end of that second (a request shown as that second is in); default 90 days after start_date. The span may not exceed 90 days (400)'),
  status: S('open, closed, or open,closed; default both. closed = fixed and checked (结案待回访), archived, or cancelled; status_notes says which and why'),
  page: S('Extension: page number, from 1 (default 1)'),
  page_size: S('Extension: requests per page, 1–1000 (default 1000)'),
  updated_after: S('Extension: only requests changed after this W3C datetime, in whole seconds (within the date window above)'),
});

export const PostRequestBody = Type.Object({
  api_key: Type.String({ description: 'Client key issued by the city (`cok_…`); missing or invalid → 403' }),
  service_code: Type.String({ description: 'From GET services; missing → 400, unknown → 404' }),
  lat: S('Latitude, WGS84 decimal degrees (send with long)'),
  long: S('Longitude, WGS84 decimal degrees (send with lat)'),
  address_string: S('Address text, kept with the case; cannot locate a request on its own yet (send lat/long)'),
  address_id: S('Not supported yet: send lat/long'),
  description: S('Free text, at most 4,000 characters'),
  media_url: S('http(s) URL of a photo; repeat the field for several (at most 10). All are kept with the case and returned'),
  'attribute[code]': S('Answer to the service\'s question `code` (GET services/{code}); repeat the field (with or without a trailing []) for the values of a multivaluelist. Required questions must be answered (400 naming the attribute); unknown codes are ignored'),
  first_name: S('Given name (stored for the callback, never returned)'),
  last_name: S('Family name (stored for the callback, never returned)'),
  phone: S('Phone number for the callback (validated; never returned)'),
  email: S('Accepted, not stored'),
  device_id: S('Accepted, not stored'),
  account_id: S('Accepted, not stored'),
  jurisdiction_id: S('Accepted and ignored'),
}, { description: 'application/x-www-form-urlencoded (UTF-8). An `Idempotency-Key` header makes retries return the first result.' });

export const Open311Errors = Type.Array(Type.Object({
  code: Type.Integer({ description: 'HTTP status: 400, 403 or 404' }),
  description: Type.String({ description: 'Human-readable reason (Chinese and English)' }),
}), { description: 'GeoReport v2 error list (XML: <errors><error><code/><description/></error></errors>)' });

export const ServiceDto = Type.Object({
  service_code: Type.String(), service_name: Type.String(), description: Type.String(), metadata: Type.Boolean(),
  type: Type.String(), keywords: Type.String(), group: Type.String(),
});

export const AttributeDto = Type.Object({
  variable: Type.Boolean({ description: 'true: a question to ask; false: information to show (its description)' }),
  code: Type.String({ description: 'ASCII letters, digits and _; answers come back as attribute[code]' }),
  datatype: Type.String({ description: 'string, number, datetime, text, singlevaluelist or multivaluelist' }),
  required: Type.Boolean(),
  datatype_description: Type.Optional(Type.String({ description: 'A hint for the input' })),
  order: Type.Integer({ description: 'Display order, 1 first' }),
  description: Type.String({ description: 'The question' }),
  automated: Type.Optional(Type.String({ description: "mySociety's extension: server_set (not asked) or hidden_field (filled without asking)" })),
  values: Type.Optional(Type.Array(Type.Object({ key: Type.String({ description: 'The value to send' }), name: Type.String({ description: 'Its label' }) }))),
});

export const ServiceDefinitionDto = Type.Object({ service_code: Type.String(), attributes: Type.Array(AttributeDto) });

export const ServiceRequestDto = Type.Object({
  service_request_id: Type.String({ description: 'The case number' }),
  status: Type.String({ description: 'open or closed' }),
  status_notes: Type.Optional(Type.String({ description: 'The fine state, Chinese / English (e.g. 处置中 / In progress)' })),
  service_name: Type.Optional(Type.String()),
  service_code: Type.String(),
  description: Type.Optional(Type.String({ description: 'Omitted for channels whose text is not public (hotline, petition, …)' })),
  agency_responsible: Type.Optional(Type.String({ description: 'The assigned unit, else the routed unit' })),
  requested_datetime: Type.String(),
  updated_datetime: Type.Optional(Type.String({ description: 'Last change; the close time for closed requests' })),
  expected_datetime: Type.Optional(Type.String({ description: 'Handling deadline, else the current stage deadline (open requests)' })),
  address: Type.Optional(Type.String()),
  lat: Type.Optional(Type.Number()),
  long: Type.Optional(Type.Number()),
  media_url: Type.Optional(Type.String({ description: 'The (first) media URL sent with the report; in XML one <media_url> per URL' })),
  media_urls: Type.Optional(Type.Array(Type.String(), { description: 'Extension, JSON only: every media URL, when there are several' })),
});

export const PostResponseDto = Type.Array(Type.Object({
  service_request_id: Type.String({ description: 'The case number' }),
  service_notice: Type.String({ description: 'Responsible unit and deadline (Chinese, then English)' }),
}));

export const DiscoveryDto = Type.Object({
  changeset: Type.String(), contact: Type.String(), key_service: Type.String(),
  endpoints: Type.Array(Type.Object({
    specification: Type.String(), url: Type.String(), changeset: Type.String(), type: Type.String(), formats: Type.Array(Type.String()),
  })),
});

export const UpdatesQuery = Type.Object({
  api_key: Type.String({ description: 'A valid client key (`cok_…`); missing or invalid → 403' }),
  jurisdiction_id: S('Accepted and ignored'),
  start_date: S('W3C datetime with zone: earliest updated_datetime, inclusive, at whole seconds; default 24 hours before end_date'),
  end_date: S('W3C datetime with zone: latest updated_datetime, inclusive to the end of that second; default now (or 24 hours after start_date). Span ≤ 90 days'),
  page: S('Extension: page number, from 1'),
  page_size: S('Extension: updates per page, 1–10000 (default 10000), oldest first'),
});

export const UpdateDto = Type.Object({
  update_id: Type.String({ description: 'Stable id of the update (the history step); `<step>-<request>` for a step of a master case told to a linked report' }),
  service_request_id: Type.String({ description: 'The case number' }),
  status: Type.String({ description: 'Extended status: open, investigating, action_scheduled, in_progress, fixed, duplicate, not_councils_responsibility, no_further_action' }),
  updated_datetime: Type.String(),
  description: Type.String({ description: 'Public text only: a fixed sentence per step, or the words a citizen sent through a client' }),
  media_url: Type.Optional(Type.String({ description: 'Photo of the fix (signed public URL) or a URL a citizen sent; in XML one <media_url> per URL' })),
  media_urls: Type.Optional(Type.Array(Type.String(), { description: 'Extension, JSON only: all media URLs when there are several' })),
  external_status_code: Type.String({ description: 'Our own state after the step (e.g. DISPATCHED)' }),
});

export const PostUpdateBody = Type.Object({
  api_key: Type.String({ description: 'Client key (`cok_…`) with case.create; missing or invalid → 403' }),
  service_request_id: Type.String({ description: 'The case number; unknown → 404' }),
  update_id: Type.String({ description: "The client's own id of the update (≤ 100 characters); a retry with the same id answers the same update_id" }),
  status: Type.String({ description: 'OPEN, CLOSED, FIXED, REOPEN, IN_PROGRESS, ACTION_SCHEDULED, INVESTIGATING, DUPLICATE, NOT_COUNCILS_RESPONSIBILITY, NO_FURTHER_ACTION, INTERNAL_REFERRAL, FOR_TRIAGE or CANCELLED' }),
  updated_datetime: Type.String({ description: 'When the citizen made the update (W3C datetime with zone)' }),
  description: S('The citizen\'s words (≤ 4,000 characters); public'),
  media_url: S('http(s) URL of a photo; repeat for several (≤ 10)'),
  first_name: S('Accepted, not stored'), last_name: S('Accepted, not stored'), email: S('Accepted, not stored'), phone: S('Accepted, not stored'),
  jurisdiction_id: S('Accepted and ignored'),
}, { description: 'application/x-www-form-urlencoded (UTF-8)' });

export const PostUpdateResponseDto = Type.Array(Type.Object({
  update_id: Type.String({ description: 'Our id of the recorded update: the id the update feed lists it under' }),
}), { description: 'XML: <service_request_updates><request_update><update_id/></request_update></service_request_updates>' });

export const MediaParams = Type.Object({
  attachment: Type.String({ description: 'Attachment id' }),
  signature: Type.String({ description: 'Signature the update feed gave with the URL' }),
});
