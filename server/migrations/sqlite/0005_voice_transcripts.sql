-- Voice notes: what the transcriber heard (the text the dialogue was given), or why it
-- could not hear it (the patient was asked to type; a failure is never retried). Kept on
-- the message so a replay after a crash reuses the transcript instead of paying again.
ALTER TABLE whatsapp_inbox ADD COLUMN transcript TEXT;
ALTER TABLE whatsapp_inbox ADD COLUMN transcription_error TEXT;
