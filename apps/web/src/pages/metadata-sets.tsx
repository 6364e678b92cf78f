// Metadata sets: the list, a create form, and a set's page: its versions, one version's content,
// and an edit that saves a new version (checked in the browser by the API's own schema first).
import {
  MetadataContent,
  MetadataSetCreate,
  type MetadataSet,
  type MetadataSetDetail,
  type MetadataSetVersion,
} from '@curio/contracts';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/http.js';
import { useAll, useApi, useInvalidate } from '../api/queries.js';
import { useCanWrite } from '../session/session.js';
import { formatNumber, formatTime } from '../ui/format.js';
import { lines } from '../ui/lines.js';
import { ErrorBox, Field, Loading, PageHeader, TextField } from '../ui/parts.js';
import { TextArea } from '../ui/text-area.js';
import { FormCard } from '../ui/form-card.js';
import { LoadedList } from '../ui/data-table.js';
import { useSubmit } from '../ui/use-submit.js';
import { issuesByPath } from '../ui/zod-issues.js';

interface ContentText {
  names: string;
  synonyms: string;
  templates: string;
}

/** The form's text as the API's content shape, or the field errors that stop it. */
function readContent(t: ContentText): { content: unknown; errors: Record<string, string> } {
  let synonyms: unknown = {};
  if (t.synonyms.trim()) {
    try {
      synonyms = JSON.parse(t.synonyms);
    } catch {
      return {
        content: null,
        errors: { synonyms: 'synonyms must be JSON: {"name": ["other name"]}' },
      };
    }
  }
  const templates = lines(t.templates);
  return {
    content: { names: lines(t.names), synonyms, ...(templates.length ? { templates } : {}) },
    errors: {},
  };
}

function ContentFields(props: {
  value: ContentText;
  onChange: (v: ContentText) => void;
  errors: Record<string, string>;
}) {
  const { value, onChange, errors } = props;
  const synonymError = Object.entries(errors).find(([k]) => k.startsWith('synonyms'))?.[1];
  return (
    <>
      <TextArea
        label="Names"
        required
        rows={6}
        hint="One per line: what your team cares about."
        value={value.names}
        onChange={(names) => onChange({ ...value, names })}
        error={errors.names}
      />
      <TextArea
        label="Synonyms (JSON)"
        hint='{"cat": ["kitten"]}; keys must be names.'
        value={value.synonyms}
        onChange={(synonyms) => onChange({ ...value, synonyms })}
        error={synonymError}
      />
      <TextArea
        label="Templates"
        hint="One per line with {} where the name goes; empty: {}."
        value={value.templates}
        onChange={(templates) => onChange({ ...value, templates })}
        error={errors.templates ?? errors['templates.0']}
      />
    </>
  );
}

export function MetadataSetsPage() {
  const sets = useAll<MetadataSet>('/v1/metadata-sets');
  const canWrite = useCanWrite();
  return (
    <section>
      <PageHeader title="Metadata sets" />
      <LoadedList query={sets} what="metadata sets">
        {(items) => (
          <ul className="cards">
            {items.map((m) => (
              <li key={m.id}>
                <Link to={`/metadata-sets/${m.id}`}>{m.name}</Link> — {formatNumber(m.nameCount)}{' '}
                names, version {m.latestVersion}
              </li>
            ))}
            {items.length === 0 && <li>No metadata sets yet.</li>}
          </ul>
        )}
      </LoadedList>
      {canWrite && <CreateMetadataSet />}
    </section>
  );
}

function CreateMetadataSet() {
  const [name, setName] = useState('');
  const [text, setText] = useState<ContentText>({ names: '', synonyms: '', templates: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const invalidate = useInvalidate();
  const navigate = useNavigate();
  const s = useSubmit(async () => {
    const read = readContent(text);
    const parsed = MetadataSetCreate.safeParse({ name, ...(read.content as object) });
    const found = { ...read.errors, ...(parsed.success ? {} : issuesByPath(parsed.error)) };
    setErrors(found);
    if (Object.keys(found).length) return;
    const set = await api.post<MetadataSetDetail>('/v1/metadata-sets', {
      name,
      ...(read.content as object),
    });
    await invalidate('/v1/metadata-sets');
    navigate(`/metadata-sets/${set.id}`);
  });
  const all = { ...errors, ...s.fields };
  return (
    <FormCard title="New metadata set" submit={s} submitLabel="Create metadata set">
      <TextField label="Set name" required value={name} onChange={setName} error={all.name} />
      <ContentFields value={text} onChange={setText} errors={all} />
    </FormCard>
  );
}

export function MetadataSetPage() {
  const { id = '' } = useParams();
  const base = `/v1/metadata-sets/${encodeURIComponent(id)}`;
  const set = useApi<MetadataSetDetail>(base);
  const versions = useAll<MetadataSetVersion>(`${base}/versions`);
  const [chosen, setChosen] = useState<number | null>(null);
  const canWrite = useCanWrite();
  if (set.error) return <ErrorBox error={set.error} />;
  if (!set.data) return <Loading what="the metadata set" />;
  const version = versions.data?.find((v) => v.version === chosen) ?? set.data.latest;
  return (
    <section>
      <PageHeader title={`Metadata set ${set.data.name}`} />
      <Field label="Version">
        {(fid) => (
          <select
            id={fid}
            value={version.version}
            onChange={(e) => setChosen(Number(e.target.value))}
          >
            {(versions.data ?? [set.data.latest]).map((v) => (
              <option key={v.version} value={v.version}>
                {v.version} — {formatTime(v.createdAt)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="card">
        <h2>
          Version {version.version}: {version.names.length} names
        </h2>
        <p className="mono wrap">{version.names.join(', ')}</p>
        {Object.keys(version.synonyms).length > 0 && (
          <pre>{JSON.stringify(version.synonyms, null, 2)}</pre>
        )}
        <p>Templates: {(version.templates ?? ['{}']).join(' · ')}</p>
      </div>
      {canWrite && <NewVersion key={version.version} base={base} from={version} />}
    </section>
  );
}

function NewVersion({ base, from }: { base: string; from: MetadataSetVersion }) {
  const [text, setText] = useState<ContentText>({
    names: from.names.join('\n'),
    synonyms: Object.keys(from.synonyms).length ? JSON.stringify(from.synonyms, null, 2) : '',
    templates: (from.templates ?? []).join('\n'),
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const invalidate = useInvalidate();
  const s = useSubmit(async () => {
    const read = readContent(text);
    const parsed = MetadataContent.safeParse(read.content);
    const found = { ...read.errors, ...(parsed.success ? {} : issuesByPath(parsed.error)) };
    setErrors(found);
    if (Object.keys(found).length) return;
    await api.post(`${base}/versions`, read.content);
    await invalidate(base);
  });
  return (
    <FormCard
      title={`Edit as a new version (from version ${from.version})`}
      submit={s}
      submitLabel="Save as a new version"
    >
      <ContentFields value={text} onChange={setText} errors={{ ...errors, ...s.fields }} />
    </FormCard>
  );
}
