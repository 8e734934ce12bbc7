import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { useSession } from '../../api/session';
import type { Clip, Season } from '../../api/types';
import { useLiveChannel } from '../../live/useLive';
import { checkDuration, checkFile, contentTypeOf, GENRES, isCroppedToPortrait, titleFromFileName } from './uploadChecks';
import { GenreIcon } from '../../components/GenreIcon';
import { Camera, CircleCheck, FolderOpen } from '../../components/icons';

interface SignedUpload { uploadUrl: string; key: string; headers: Record<string, string>; maxBytes: number }
type Phase = 'select' | 'genre' | 'uploading' | 'processing' | 'done' | 'failed';

// PUT with upload progress (fetch cannot report it).
function putWithProgress(url: string, file: File, contentType: string, onProgress: (percent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100)); };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let message = `Upload failed (${xhr.status})`;
      try { message = JSON.parse(xhr.responseText).error ?? message; } catch { /* not JSON */ }
      reject(new ApiError(xhr.status, 'UPLOAD_FAILED', message));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'The connection dropped during the upload'));
    xhr.send(file);
  });
}

export function UploadPage() {
  const { data: session, isLoading } = useSession();
  const [phase, setPhase] = useState<Phase>('select');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [duration, setDuration] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [genre, setGenre] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  // The title we filled in from a file name: a new file replaces it, a typed title is kept.
  const [autoTitle, setAutoTitle] = useState('');
  const [frame, setFrame] = useState<{ width: number; height: number } | null>(null);
  const nextButton = useRef<HTMLButtonElement>(null);
  const story = useQuery({ queryKey: ['story'], queryFn: () => api.get<{ seasons: Season[] }>('/api/story') });
  const seasonGenre = story.data?.seasons.find((s) => s.status === 'active')?.genre ?? null;
  const genres = seasonGenre ? [...GENRES].sort((a, b) => Number(b.name === seasonGenre) - Number(a.name === seasonGenre)) : GENRES;
  const [description, setDescription] = useState('');
  const [progress, setProgress] = useState(0);
  const [clip, setClip] = useState<Clip | null>(null);
  const cameraInput = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => () => { if (preview) URL.revokeObjectURL(preview); }, [preview]);

  // Once the preview is ready (and any warning shown), Next comes into view.
  useEffect(() => {
    if (duration !== null) nextButton.current?.scrollIntoView({ block: 'nearest' });
  }, [duration, frame]);

  const choose = useCallback((chosen: File | undefined) => {
    if (!chosen) return;
    setProblem(null);
    setDuration(null);
    setFrame(null);
    const error = checkFile(chosen.name, chosen.type, chosen.size);
    if (error) { setProblem(error); setFile(null); setPreview(null); return; }
    setFile(chosen);
    setPreview(URL.createObjectURL(chosen));
    if (!title || title === autoTitle) {
      const fromName = titleFromFileName(chosen.name);
      setTitle(fromName);
      setAutoTitle(fromName);
    }
  }, [title, autoTitle]);

  // Processing progress arrives over the socket ("me" channel); a poll covers a missed push.
  const follow = useCallback(async (id: number) => {
    const r = await api.get<{ clip: Clip }>(`/api/upload/clips/${id}`);
    setClip(r.clip);
    if (r.clip.processing_status === 'ready') setPhase('done');
    if (r.clip.processing_status === 'failed') setPhase('failed');
  }, []);
  useLiveChannel(session?.user ? 'me' : null, (m) => {
    if (m.type === 'ClipStatusChanged' && clip && m.clipId === clip.id) void follow(clip.id);
  });
  useEffect(() => {
    if (phase !== 'processing' || !clip) return undefined;
    const timer = window.setInterval(() => void follow(clip.id).catch(() => {}), 2000);
    return () => window.clearInterval(timer);
  }, [phase, clip, follow]);

  async function upload() {
    if (!file || !genre) return;
    const contentType = contentTypeOf(file.name, file.type)!;
    setPhase('uploading');
    setProblem(null);
    setProgress(0);
    try {
      const signed = await api.post<SignedUpload>('/api/upload/signed-url', { filename: file.name, contentType, size: file.size });
      await putWithProgress(signed.uploadUrl, file, contentType, setProgress);
      const registered = await api.post<{ clip: Clip }>('/api/upload/register', { key: signed.key, genre, title, description });
      setClip(registered.clip);
      setPhase('processing');
      void follow(registered.clip.id);
    } catch (err) {
      setProblem(err instanceof ApiError ? err.message : 'The upload failed');
      setPhase('failed');
    }
  }

  async function retry() {
    if (!clip) return;
    try {
      const r = await api.post<{ clip: Clip }>(`/api/upload/clips/${clip.id}/retry`);
      setClip(r.clip);
      setPhase('processing');
    } catch (err) {
      setProblem(err instanceof ApiError ? err.message : 'Could not retry');
    }
  }

  if (isLoading) return null;
  if (!session?.user) {
    return (
      <div className="page stack"><h1>Upload a clip</h1>
        <p className="muted">Sign in to submit an 8-second scene for the next slot.</p>
        <Link className="btn btn-primary" to="/login">Sign in</Link></div>
    );
  }

  const step = phase === 'select' ? 1 : phase === 'genre' ? 2 : 3;
  return (
    <div className="page stack upload-page">
      <h1>Upload a clip</h1>
      <ol className="steps" aria-label="Upload steps">
        {['Video', 'Genre', 'Upload'].map((name, i) => (
          <li key={name} className={i + 1 === step ? 'current' : i + 1 < step ? 'done' : ''} aria-current={i + 1 === step ? 'step' : undefined}>{i + 1}. {name}</li>
        ))}
      </ol>

      {phase === 'select' && (
        <section className="stack" aria-label="Select a video">
          <div className={`dropzone glass${dragging ? ' dragging' : ''}`}
            onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => { e.preventDefault(); setDragging(false); choose(e.dataTransfer.files[0]); }}>
            <p><span className="fine-pointer-only">Drag &amp; drop a clip here, or record or choose one — </span>
              <span className="coarse-pointer-only">Record a clip or choose one from your phone — </span>
              MP4, WebM or MOV, up to 8 seconds and 50 MB. Portrait (9:16) fills the screen.</p>
            <div className="row" style={{ justifyContent: 'center' }}>
              <button type="button" className="btn btn-primary" onClick={() => cameraInput.current?.click()}><Camera size={18} /> Record</button>
              <button type="button" className="btn" onClick={() => fileInput.current?.click()}><FolderOpen size={18} /> Choose a file</button>
            </div>
            <input ref={cameraInput} type="file" accept="video/*" capture="environment" hidden aria-label="Record a video"
              onChange={(e) => choose(e.target.files?.[0])} />
            <input ref={fileInput} type="file" accept="video/mp4,video/webm,video/quicktime,.mp4,.webm,.mov" hidden
              aria-label="Video file" data-testid="file-input" onChange={(e) => choose(e.target.files?.[0])} />
          </div>
          {preview && (
            <div className="upload-preview" data-testid="upload-preview">
              <div className="arena-bg" aria-hidden="true"><video src={preview} muted playsInline autoPlay loop /></div>
              <video className={`upload-preview-video${frame && isCroppedToPortrait(frame.width, frame.height) ? ' cropped' : ''}`}
                src={preview} muted playsInline autoPlay loop controls
                aria-label="Preview of your clip"
                onLoadedMetadata={(e) => {
                  const v = e.currentTarget;
                  setDuration(v.duration);
                  setFrame({ width: v.videoWidth, height: v.videoHeight });
                  const error = checkDuration(v.duration);
                  if (error) setProblem(error);
                }}
                onError={() => setProblem('We can’t play this file in the browser, so it can’t be checked or shown. Try an MP4 (H.264) or a WebM.')} />
              {duration !== null && <span className="badge preview-duration">{duration.toFixed(1)} s</span>}
            </div>
          )}
          {frame && isCroppedToPortrait(frame.width, frame.height) && !problem && (
            <p className="warning glass card" role="status" data-testid="crop-warning">
              This video is {frame.width > frame.height ? 'landscape' : 'wider than 9:16'} ({frame.width}×{frame.height}). Clips play in
              portrait 9:16, so its left and right sides will be cut off — the preview above shows what voters will see.
            </p>
          )}
          {problem && <p className="error" role="alert">{problem}</p>}
          <button ref={nextButton} className="btn btn-primary" disabled={!file || duration === null || !!problem} onClick={() => setPhase('genre')}>Next →</button>
        </section>
      )}

      {phase === 'genre' && (
        <section className="stack" aria-label="Choose a genre">
          {seasonGenre && <p className="muted" data-testid="season-genre">This season is a <strong>{seasonGenre}</strong>: clips in its genre fit the story best.</p>}
          <div className="genre-grid" role="radiogroup" aria-label="Genre">
            {genres.map((g) => (
              <button key={g.name} type="button" role="radio" aria-checked={genre === g.name}
                className={`genre-card glass${genre === g.name ? ' selected' : ''}`} onClick={() => setGenre(g.name)}>
                <GenreIcon genre={g.name} /> {g.name}{g.name === seasonGenre && <span className="badge badge-live" style={{ marginLeft: 6 }}>This season</span>}
              </button>
            ))}
          </div>
          <label htmlFor="clip-title">Title</label>
          <input id="clip-title" className="input" maxLength={100} value={title} onChange={(e) => setTitle(e.target.value)} />
          <label htmlFor="clip-description">Description (optional)</label>
          <textarea id="clip-description" className="input" rows={2} maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />
          <div className="row">
            <button className="btn" onClick={() => setPhase('select')}>← Back</button>
            <button className="btn btn-primary" disabled={!genre || !title.trim()} onClick={() => void upload()}>Upload →</button>
          </div>
        </section>
      )}

      {(phase === 'uploading' || phase === 'processing' || phase === 'done' || phase === 'failed') && (
        <section className="stack" aria-label="Upload progress" aria-live="polite">
          {phase === 'uploading' && <p>Uploading… {progress}%</p>}
          {phase === 'processing' && <p>Preparing your clip for every phone… {clip?.processing_progress ?? 0}%</p>}
          <div className="progress" role="progressbar" aria-label={phase === 'uploading' ? 'Upload' : 'Processing'}
            aria-valuemin={0} aria-valuemax={100}
            aria-valuenow={phase === 'uploading' ? progress : clip?.processing_progress ?? 0}>
            <span style={{ width: `${phase === 'uploading' ? progress : phase === 'done' ? 100 : clip?.processing_progress ?? 0}%` }} />
          </div>
          {phase === 'done' && clip && (
            <div className="stack upload-done">
              <h2><CircleCheck size={24} className="ok" /> Upload complete — pending review</h2>
              <p className="muted">An admin reviews new clips before they join the vote. You will see its status on your profile.</p>
              <img src={clip.thumbnail_url} alt={`Poster of ${clip.title}`} className="upload-poster" />
              <div className="row"><Link className="btn btn-primary" to="/profile?tab=clips">See it in My clips</Link><Link className="btn" to="/dashboard">Back to voting</Link></div>
            </div>
          )}
          {phase === 'failed' && (
            <div className="stack">
              <p className="error" role="alert">{problem ?? clip?.processing_error ?? 'Processing failed'}</p>
              <div className="row">
                {clip?.processing_status === 'failed' && <button className="btn btn-primary" onClick={() => void retry()}>Try processing again</button>}
                <button className="btn" onClick={() => { setPhase('select'); setClip(null); setProblem(null); }}>Start over</button>
              </div>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
