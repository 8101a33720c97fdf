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
  start_date: S('W3C datetime with zone (e.g. 2026-11-01T00:00:00+08:00): earliest requested_datetime; default 90 days before end_date or now'),
  end_date: S('W3C datetime with zone: latest requested_datetime; default 90 days after start_date. The span may not exceed 90 days (400)'),
  status: S('open, closed, or open,closed; default both. closed = archived or cancelled; the fine state is in status_notes'),
  page: S('Extension: page number, from 1 (default 1)'),
  page_size: S('Extension: requests per page, 1–1000 (default 1000)'),
  updated_after: S('Extension: only requests changed after this W3C datetime (within the date window above)'),
});

export const PostRequestBody = Type.Object({
  api_key: Type.String({ description: 'Client key issued by the city (`cok_…`); missing or invalid → 403' }),
  service_code: Type.String({ description: 'From GET services; missing → 400, unknown → 404' }),
  lat: S('Latitude, WGS84 decimal degrees (send with long)'),
  long: S('Longitude, WGS84 decimal degrees (send with lat)'),
  address_string: S('Address text, kept with the case; cannot locate a request on its own yet (send lat/long)'),
  address_id: S('Not supported yet: send lat/long'),
  description: S('Free text, at most 4,000 characters'),
  media_url: S('http(s) URL of a photo; kept with the case and returned as media_url'),
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

export const ServiceDefinitionDto = Type.Object({ service_code: Type.String(), attributes: Type.Array(Type.Unknown()) });

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
  media_url: Type.Optional(Type.String()),
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
