//! Newtypes for the catalogue's ids (the canonical entity values of the clinic contract),
//! declared like the engine's names.

bela_engine::name_type!(
    /// A procedure of the catalogue (`botox`, `limpeza_de_pele`, ...): the `procedure` entity.
    ProcedureId
);
bela_engine::name_type!(
    /// A health condition screened before a procedure (`gestante`, ...): the `condition` entity.
    ConditionId
);
bela_engine::name_type!(
    /// A patient's complaint (`rugas`, `manchas`, ...): the `concern` entity.
    ConcernId
);
bela_engine::name_type!(
    /// A body area (`testa`, `abdomen`, ...): the `body_area` entity.
    BodyAreaId
);
