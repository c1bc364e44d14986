"""care team, comments, report links and the audit trail

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-24 08:34:51.599263

"""
from alembic import op
import sqlalchemy as sa

import diary.database


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


# The audit trail only grows: both databases refuse UPDATE and DELETE on it.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$""",
    """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
]


def upgrade():
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('link_id', sa.Uuid(), nullable=True),
    sa.Column('link_kind', sa.String(length=16), nullable=False),
    sa.Column('action', sa.String(length=120), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_patient_time', ['patient_id', 'occurred_at'], unique=False)

    op.create_table('care_links',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('grantee_id', sa.Uuid(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('invitation_expires_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', diary.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', diary.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', diary.database.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('caregiver', 'clinician')", name=op.f('ck_care_links_role_known')),
    sa.ForeignKeyConstraint(['grantee_id'], ['users.id'], name=op.f('fk_care_links_grantee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_care_links_patient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_care_links_token_hash'))
    )
    with op.batch_alter_table('care_links', schema=None) as batch_op:
        batch_op.create_index('ix_care_links_grantee_patient', ['grantee_id', 'patient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_links_patient_id'), ['patient_id'], unique=False)

    op.create_table('report_links',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('from_date', sa.Date(), nullable=False),
    sa.Column('to_date', sa.Date(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=True),
    sa.Column('created_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', diary.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_report_links_patient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_report_links_token_hash'))
    )
    with op.batch_alter_table('report_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_links_patient_id'), ['patient_id'], unique=False)

    op.create_table('care_comments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('entry_id', sa.Uuid(), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_care_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['pain_entries.id'], name=op.f('fk_care_comments_entry_id_pain_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_care_comments_patient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_comments'))
    )
    with op.batch_alter_table('care_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_comments_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_comments_patient_id'), ['patient_id'], unique=False)



    dialect = op.get_bind().dialect.name
    for statement in POSTGRES_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    with op.batch_alter_table('care_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_comments_patient_id'))
        batch_op.drop_index(batch_op.f('ix_care_comments_entry_id'))

    op.drop_table('care_comments')
    with op.batch_alter_table('report_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_links_patient_id'))

    op.drop_table('report_links')
    with op.batch_alter_table('care_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_links_patient_id'))
        batch_op.drop_index('ix_care_links_grantee_patient')

    op.drop_table('care_links')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_patient_time')

    op.drop_table('audit_events')
