//! What the bot says, in pt-BR, to messages it does not run through the dialogue.

/// The answer to a voice note until transcription is in place.
pub const VOICE_NOT_YET: &str = "Recebi seu áudio! 🎧 Por enquanto ainda não consigo ouvir \
     mensagens de voz — em breve vou conseguir. Pode me escrever o que precisa?";

/// The answer to an image, document, location, sticker, video or contact card.
pub const UNSUPPORTED: &str = "Obrigada pela mensagem! Por aqui eu consigo entender textos \
     e as opções dos botões. Pode me escrever o que precisa?";
